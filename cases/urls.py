from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
]
