"""Frozen reports (issue 18): the figures staff signed for a period, the rows
behind each and the checksum, read-only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from accounts.roles import VIEW_STATISTICS
from config.api import perm_required

from ... import selectors
from ...models import FrozenReport
from ...services.reports_frozen import report_checksum_ok


class FrozenReportSerializer(serializers.ModelSerializer):
    checksum_ok = serializers.SerializerMethodField(
        help_text="Whether the checksum verifies over the figures and rows as stored, and "
                  "the figures are those the rows give.")
    frozen_by = serializers.StringRelatedField()
    figures = serializers.JSONField(help_text="Researchers, companies, deal value (registered "
                                              "contracts, 万元), outcomes, patents, funded "
                                              "projects by level.")
    rows = serializers.JSONField(help_text="The placements and outcomes behind the figures "
                                           "(ids and key values).")

    class Meta:
        model = FrozenReport
        fields = ["id", "period_start", "period_end", "version", "reason", "figures", "rows",
                  "checksum", "checksum_ok", "frozen_by", "frozen_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_checksum_ok(self, report) -> bool:
        return report_checksum_ok(report)


class FrozenReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Frozen reports of the district's figures, every version (staff)."""

    queryset = FrozenReport.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = FrozenReportSerializer
    permission_classes = [perm_required(VIEW_STATISTICS)]
    filterset_fields = ["period_start", "period_end", "version"]
    ordering_fields = ["period_start", "version", "frozen_at"]

    def get_queryset(self):
        return selectors.frozen_reports_visible_to(self.request.user).order_by(
            "-period_start", "-version")
