// Fill the slug from the two subjects ("bpo-and-kpo") until the editor types one of their own.
"use strict";
window.addEventListener("load", function () {
  var slug = document.getElementById("id_slug");
  var first = document.getElementById("id_first_subject");
  var second = document.getElementById("id_second_subject");
  if (!slug || !first || !second) return;
  var touched = slug.value !== "";
  slug.addEventListener("input", function () { touched = slug.value !== ""; });

  function label(select) {
    var option = select.options[select.selectedIndex];
    return option && option.value ? option.text : "";
  }
  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function fill() {
    if (touched) return;
    var a = slugify(label(first)), b = slugify(label(second));
    slug.value = a && b ? a + "-and-" + b : "";
  }
  // The subjects use select2 autocompletes, which announce changes through jQuery.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(first).on("change", fill);
    window.django.jQuery(second).on("change", fill);
  } else {
    first.addEventListener("change", fill);
    second.addEventListener("change", fill);
  }
});
