# Varnish in front of the app servers: whole pages for anonymous readers, purged by tag.
#
# The app sends each cacheable page's tags in an `xkey` header; every change that drops pages
# from the app's page cache also sends `PURGE` with an `xkey-purge: <tags>` header here (see
# docs/caching.md, EDGE_PURGE_URLS). Needs Varnish 6+ with varnish-modules (vmod xkey).
# Try it: scripts/run_behind_varnish.sh.
vcl 4.1;

import xkey;

# The app servers (a director can balance several: see docs/caching.md).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers only.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the app servers"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the tags to purge in xkey-purge"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per-visitor pages: the admin, the comment form and captcha, anything with a session.
    if (req.url ~ "^/(admin|comments|captcha)(/|$)") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # What an anonymous reader gets does not depend on cookies (analytics, csrftoken...).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Varnish takes the TTL from s-maxage (else max-age) and the grace from
    # stale-while-revalidate; responses saying private/no-store/no-cache or setting a cookie
    # are not cached (built-in VCL below).
    if (beresp.http.xkey) {
        # A tagged page is the same for every anonymous reader: it never sets a cookie.
        unset beresp.http.Set-Cookie;
    }
}

sub vcl_deliver {
    # The tags are for this cache only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
