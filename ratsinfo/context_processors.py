from django.conf import settings


def site(request):
    return {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT, "ort_der_koerperschaft": settings.RATSINFO_ORT}
