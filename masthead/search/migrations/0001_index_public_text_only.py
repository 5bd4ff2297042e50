"""Search stops matching the gated part of articles (it used to index every article's whole body).

This removes the stale index entries of every article that is not free to all, so an upgraded
site stops answering "does this story mention X?" at once; `SearchConfig.ready`'s post-migrate step
then indexes them again with their public text only (masthead.search.reindex). Sites on another
search backend (Elasticsearch, OpenSearch) run `manage.py update_index` after upgrading.
"""

from django.db import migrations


def remove_gated_body_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    ArticlePage = apps.get_model("news", "ArticlePage")
    article_type = ContentType.objects.filter(app_label="news", model="articlepage").first()
    if article_type is None:
        return  # a new database: nothing was indexed yet
    # Sponsored articles are always free (ArticlePage.access_level); every other one is gated.
    gated = ArticlePage.objects.filter(sponsor__isnull=True).exclude(access="free")
    gated_ids = [str(pk) for pk in gated.values_list("pk", flat=True)]
    for start in range(0, len(gated_ids), 500):
        IndexEntry.objects.filter(content_type=article_type, object_id__in=gated_ids[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(remove_gated_body_entries, migrations.RunPython.noop)]
