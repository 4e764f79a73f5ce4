"""Admin for roles: a login's role is set on the login's own page or in the membership list."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from command.models import Membership

User = get_user_model()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "platform", "district")
    list_filter = ("role", "platform", "district")
    list_select_related = ("user", "platform", "district")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "platform", "district")


class MembershipInline(admin.StackedInline):
    model = Membership
    autocomplete_fields = ("platform", "district")
    can_delete = True
    extra = 0
    max_num = 1


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = (*BaseUserAdmin.inlines, MembershipInline)
    list_display = (*BaseUserAdmin.list_display, "membership__role")
    list_filter = (*BaseUserAdmin.list_filter, "membership__role")
    list_select_related = ("membership",)


admin.site.site_header = _("Unified command administration")
admin.site.site_title = _("Unified command")
admin.site.index_title = _("Records and settings")
admin.site.site_url = None  # "/" sends an administrator straight back here; the role pages are in the header
