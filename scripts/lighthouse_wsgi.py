"""The production WSGI app, plus uploaded media served by whitenoise, for local Lighthouse runs.

In production a web server or CDN serves MEDIA_ROOT; with DJANGO_DEBUG=0 Django does not,
so without this the demo's lead images would be missing and Lighthouse would score a
broken page.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from config.wsgi import application as django_application

application = WhiteNoise(django_application)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
