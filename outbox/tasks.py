"""The background job behind every e-mail; the worker (`manage.py db_worker`) runs it."""

from django_tasks import task

from outbox import services


@task()
def deliver(mail_id: int) -> str:
    return services.mail_deliver(mail_id=mail_id)
