from django.urls import path

from masthead.billing import views

app_name = "billing"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/success/", views.checkout_success, name="checkout_success"),
    path("subscribe/demo/<int:pk>/", views.demo_checkout, name="demo_checkout"),
    path("subscribe/demo/<int:pk>/welcome/", views.demo_welcome, name="demo_welcome"),
    path("billing/manage/", views.manage_billing, name="manage"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
