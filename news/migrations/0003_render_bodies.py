"""Fill body_html for articles written before bodies were rendered on save."""

from django.db import migrations

from news.rendering import render_markdown


def render(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    for article in Article.objects.filter(body_html=""):
        article.body_html = render_markdown(article.body)
        article.save(update_fields=["body_html"])


class Migration(migrations.Migration):
    dependencies = [("news", "0002_article_publishing")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop)]
