"""The plain many-to-many ServiceType.platforms becomes the ServiceOffer model over the same table, so
existing offers stay; the columns the offer gains (handling time, slots...) come in the next migration."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("platforms", "0001_initial"),
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ServiceOffer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("service_type", models.ForeignKey(db_column="servicetype_id", on_delete=django.db.models.deletion.CASCADE,
                                                           related_name="offers", to="services.servicetype",
                                                           verbose_name="service")),
                        ("platform", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                       related_name="service_offers", to="platforms.platform",
                                                       verbose_name="platform")),
                    ],
                    options={"db_table": "services_servicetype_platforms",
                             "unique_together": {("service_type", "platform")}},
                ),
                migrations.AlterField(
                    model_name="servicetype",
                    name="platforms",
                    field=models.ManyToManyField(blank=True, related_name="service_types", through="services.ServiceOffer",
                                                 to="platforms.platform", verbose_name="offered at"),
                ),
            ],
        ),
    ]
