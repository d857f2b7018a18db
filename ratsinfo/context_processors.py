from django.conf import settings


def site(request):
    return {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT}
