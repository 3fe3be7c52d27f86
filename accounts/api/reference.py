"""The district's reference lists."""

from rest_framework import permissions, serializers, viewsets

from ..models import (
    IndustryCluster,
    IndustryPlatform,
    Institution,
    LeadingIndustry,
)


def reference_viewset(model, fields, doc):
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {
        "Meta": type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})})
    return type(f"{model.__name__}ViewSet", (viewsets.ReadOnlyModelViewSet,), {
        "__doc__": doc, "queryset": model.objects.order_by(*model._meta.ordering, "pk"),
        "serializer_class": serializer, "permission_classes": [permissions.AllowAny],
        "search_fields": ["name", "name_en"], "filterset_fields": [],
        "ordering_fields": ["name", "id"]})


REFERENCE_FIELDS = ["id", "code", "name", "name_en"]
PlatformViewSet = reference_viewset(IndustryPlatform, REFERENCE_FIELDS,
                                    "The district's industry platforms (链主产业平台).")
ClusterViewSet = reference_viewset(IndustryCluster, [*REFERENCE_FIELDS, "is_core"],
                                   "Provincial industry clusters (产业集群).")
IndustryViewSet = reference_viewset(LeadingIndustry, REFERENCE_FIELDS,
                                    "The five leading industries (车药芯化航).")
InstitutionViewSet = reference_viewset(Institution, ["id", "name", "name_en", "kind"],
                                       "Universities and research institutes.")
