from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("compte/inscription/", views.signup, name="signup"),
    path("compte/verification/nouveau-lien/", views.resend_verification, name="resend_verification"),
    path("compte/verification/<str:uidb64>/<str:token>/", views.verify, name="verify"),
    path("compte/connexion/", views.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/mot-de-passe/", views.password_reset, name="password_reset"),
    path("compte/mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path("compte/mot-de-passe/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("compte/mot-de-passe/termine/", views.password_reset_complete, name="password_reset_complete"),
    path("compte/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("espace/rattachement/", views.request_attachment, name="request_attachment"),
    path("espace/rattachement/<id:pk>/decision/", views.decide_attachment, name="decide_attachment"),
    path("espace/<str:code>/inviter/", views.invite, name="invite"),
    path("espace/<str:code>/invitations/<id:pk>/annuler/", views.cancel_invitation, name="cancel_invitation"),
]
