from django.urls import path

from . import mail_views, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("new/<str:target_label>/<str:object_id>/", views.comment_form, name="form"),
    path("posted/<str:target_label>/<str:object_id>/", views.posted, name="posted"),
    path("forget-me/", views.forget_poster, name="forget"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("notices/confirm/<str:token>/", mail_views.confirm, name="confirm"),
    path("notices/unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
    path("notices/resubscribe/<str:token>/", mail_views.resubscribe, name="resubscribe"),
    path("digest/", mail_views.digest, name="digest"),
]
