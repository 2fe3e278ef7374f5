from django.urls import path

from compliance import views

app_name = "agent"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("subscribers/new/", views.SubscriberCreateView.as_view(), name="subscriber-new"),
    path("subscribers/<int:pk>/", views.SubscriberDetailView.as_view(), name="subscriber"),
    path(
        "subscribers/<int:pk>/documents/",
        views.DocumentUploadView.as_view(),
        name="document-upload",
    ),
    path("subscribers/<int:pk>/numbers/", views.AddNumberView.as_view(), name="number-add"),
    path("documents/<int:pk>/", views.DocumentFileView.as_view(), name="document"),
]
