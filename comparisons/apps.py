from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from comments.api import register

        from . import invalidation  # noqa: F401  (connects the page-cache invalidation receivers)
        from .models import Comparison

        register(Comparison)
