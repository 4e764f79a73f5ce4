"""DRF building blocks every app's API shares: a permission for any role, a viewset without delete,
a model serializer that saves only what the model's own `full_clean` accepts, input validation and
the router."""
from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.routers import SimpleRouter

from common.roles import access_of
from common.scoping import scoped


class AnyRole(BasePermission):
    """Any login that holds a role in the command centre (the schema and the docs page)."""

    message = "Your login holds no role in the command centre."

    def has_permission(self, request, view):
        return access_of(request).role is not None


class EditableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """List, read, create, update. No delete: rosters and places are referenced by the history."""


class CheckedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that saves through `full_clean`, so the model's clean() rules (geometry, the
    served area, same-platform relations) and its constraints answer 400 with the field's name.

    `scoped_relations` maps a related field to the path from its rows to their platform: a scoped
    login (a supervisor) can only point at rows of its own platforms; anything else reads as unknown.
    """

    scoped_relations: dict[str, str] = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        platform_ids = access_of(request).platform_ids if request else None
        for name, path in self.scoped_relations.items():
            field = fields.get(name)
            relation = getattr(field, "child_relation", field)
            if platform_ids is not None and getattr(relation, "queryset", None) is not None:
                relation.queryset = scoped(relation.queryset, platform_ids, path)
        return fields

    def create(self, validated_data):
        many = self._pop_many_to_many(validated_data)
        return self._clean_and_save(self.Meta.model(**validated_data), many)

    def update(self, instance, validated_data):
        many = self._pop_many_to_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._clean_and_save(instance, many)

    def _pop_many_to_many(self, validated_data) -> dict:
        names = [field.name for field in self.Meta.model._meta.many_to_many]
        return {name: validated_data.pop(name) for name in names if name in validated_data}

    @staticmethod
    def _clean_and_save(instance, many: dict):
        instance.full_clean()
        with transaction.atomic():
            instance.save()
            for name, rows in many.items():
                getattr(instance, name).set(rows)
        return instance


def validated_input(serializer_class, request) -> dict:
    """The request body checked by an input serializer; a 400 with field errors otherwise."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Router(SimpleRouter):
    """Routes that answer with or without the trailing slash: a POST to `units/7/status` must not
    meet Django's APPEND_SLASH, which cannot redirect a POST and its body."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
