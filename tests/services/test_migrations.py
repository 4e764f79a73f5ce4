"""The services migrations on a database that already has rows: offers made through the old plain
many-to-many stay offered, and appointments booked before links existed each get tokens of their own."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("services", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def as_the_owner():
    """Migrations are the schema owner's (command/db_roles.py): the app's login may not ALTER."""
    from command.db_roles import app_role, app_role_grant, as_owner

    with as_owner():
        yield
        # Migrating back and forth made the services tables again: the app's login is given its
        # privileges on them again, as `manage.py migrate` does, or every later test is refused.
        if app_role():
            app_role_grant(connection, app_role())


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_desk_migrations_survive_them():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("services")
    old = migrate(BEFORE)
    platform = old.get_model("platforms", "Platform").objects.create(
        code="P01", name="人民广场平台", lon=121.47, lat=31.23,
        district=old.get_model("platforms", "District").objects.create(code="D1", name="黄浦分局"))
    service = old.get_model("services", "ServiceType").objects.create(code="S01", name="户籍证明")
    service.platforms.add(platform)
    Appointment = old.get_model("services", "Appointment")
    for name in ("赵女士", "钱先生"):
        Appointment.objects.create(service_type=service, platform=platform, citizen_name=name,
                                   citizen_phone="13800138000", starts_at="2030-03-05T10:00:00+08:00")
    new = migrate(latest)

    offer = new.get_model("services", "ServiceOffer").objects.get()
    tokens = list(new.get_model("services", "Appointment").objects.values_list("manage_token", "reference"))
    assert (offer.platform_id, offer.slot_capacity, offer.needs_appointment) == (platform.pk, 2, False)
    assert len({token for pair in tokens for token in pair}) == 4 and all(len(t) == 10 for pair in tokens for t in pair)
