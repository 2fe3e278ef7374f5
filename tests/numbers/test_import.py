"""Bulk import of numbers: the command and the admin share one check; all rows or none."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from numbers.models import Number, NumberStatus, Operator, Prefix
from tests.factories import NumberFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _prefixes_and_plan():
    for digits, operator in {
        "4006": Operator.UNICOM,
        "4001": Operator.MOBILE,
        "4008": Operator.TELECOM,
    }.items():
        Prefix.objects.create(digits=digits, operator=operator)
    PlanFactory(name="靓号年费套餐")


def run(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "numbers.csv"
    path.write_bytes(text.encode(encoding))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_numbers", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_command_imports_every_row_with_classes_operator_and_plan(tmp_path):
    ok, out, _ = run(
        tmp_path, "number,price,plan,note\n4006328888,25000,靓号年费套餐,x\n400-100-5678,3000,,\n"
    )

    assert ok, out
    assert "Imported 2 numbers" in out
    eight = Number.objects.get(number="4006328888")
    assert (eight.price, eight.plan.name, eight.operator, eight.pattern_a4, eight.pattern_a3) == (
        25000,
        "靓号年费套餐",
        "unicom",
        True,
        True,
    )
    run4 = Number.objects.get(number="4001005678")
    assert (run4.operator, run4.plan, run4.pattern_run4, run4.pattern_a3) == (
        "mobile",
        None,
        True,
        False,
    )


def test_excel_bom_is_accepted(tmp_path):
    ok, out, _ = run(tmp_path, "\ufeffnumber,price,plan\n4006328888,25000,\n")

    assert ok, out


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_chinese_excel_encodings_are_read(tmp_path, encoding):
    ok, out, _ = run(tmp_path, "number,price,plan\n4006328888,25000,靓号年费套餐\n", encoding)

    assert ok, out
    assert Number.objects.get().plan.name == "靓号年费套餐"


def test_reimport_reprices_available_numbers_and_leaves_held_and_sold_alone(tmp_path):
    PlanFactory(name="商务套餐")
    NumberFactory(number="4006000001", price=100)
    NumberFactory(number="4006000002", price=100, status=NumberStatus.HELD)
    NumberFactory(number="4006000003", price=100, status=NumberStatus.ACTIVE)

    ok, out, _ = run(
        tmp_path,
        "number,price,plan\n4006000001,8800,商务套餐\n4006000002,8800,\n4006000003,8800,\n",
    )

    assert ok, out
    assert "updated 1, left 2 alone" in out
    assert "row 3: 4006000002 为“已预订”" in out
    prices = dict(Number.objects.values_list("number", "price"))
    assert prices == {"4006000001": 8800, "4006000002": 100, "4006000003": 100}
    assert Number.objects.get(number="4006000001").plan.name == "商务套餐"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("40063288,100,", "row 3: number:"),
        ("5006328888,100,", "row 3: number:"),
        ("400632888a,100,", "row 3: number:"),
        ("4005328888,100,", "的号段尚未设置运营商"),
        ("4006328888,lots,", "row 3: price:"),
        ("4006328888,-5,", "row 3: price:"),
        ("4006328888,100,Gold plan", "没有名为“Gold plan”的资费套餐"),
        ("4006328888,100,\n400-632-8888,200,", "在文件中出现了不止一次"),
    ],
)
def test_any_bad_row_is_reported_and_nothing_is_imported(tmp_path, rows, expected):
    NumberFactory(number="4006000001")

    ok, _, err = run(tmp_path, f"number,price,plan\n4008888888,5000,\n{rows}\n")

    assert not ok
    assert expected in err
    assert "Nothing imported" in err
    assert list(Number.objects.values_list("number", flat=True)) == ["4006000001"]


def test_missing_header_is_reported(tmp_path):
    ok, _, err = run(tmp_path, "4006328888,100,\n")

    assert not ok
    assert "number,price,plan" in err and "表头" in err
    assert not Number.objects.exists()


def test_unreadable_files_are_reported(tmp_path):
    ok, _, err = run(tmp_path, "number,price\n4006328888,100\n", encoding="utf-16")
    assert not ok and "既不是 UTF-8 也不是 GBK/GB18030" in err

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_numbers", str(tmp_path / "missing.csv"))


@pytest.fixture
def staff(client, make_user):
    user = make_user("staff", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def admin_import(client, content, name, format_index):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse("admin:numbers_number_import"),
        {"import_file": upload, "format": format_index, "resource": 0},
    )


def format_index(client, label):
    form = client.get(reverse("admin:numbers_number_import")).context["form"]
    return next(value for value, text in form.fields["format"].choices if text.lower() == label)


def test_admin_import_previews_then_confirms_a_csv(client, staff):
    preview = admin_import(
        client, b"number,price,plan\n4006328888,25000,\n", "n.csv", format_index(client, "csv")
    )

    assert preview.status_code == 200
    assert not Number.objects.exists()  # a preview writes nothing
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:numbers_number_process_import"), confirm.initial)

    assert response.status_code == 302
    assert Number.objects.get().pattern_a4


def test_admin_import_of_xlsx_reports_errors_per_row_and_offers_no_confirm(client, staff):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["number", "price", "plan"],
        [4006328888, 25000, None],
        ["4006abc", 1, None],
        [4006328888, 2, None],
    ):
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)

    response = admin_import(client, content.getvalue(), "n.xlsx", format_index(client, "xlsx"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "不是 400 号码" in body
    assert "在文件中出现了不止一次" in body
    assert not Number.objects.exists()


def test_admin_export_opens_in_excel_with_what_staff_need(client, staff):
    NumberFactory(number="4006328888", price=25000, featured=True, view_count=7)
    columns = [
        "number",
        "price",
        "plan",
        "operator",
        "status",
        "classes",
        "featured",
        "view_count",
        "hold_expires_at",
    ]

    response = client.post(
        reverse("admin:numbers_number_export"),
        {
            "format": format_index(client, "csv"),
            "resource": 0,
            **{f"numberexportresource_{column}": True for column in columns},
        },
    )

    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(columns)
    assert lines[1] == "4006328888,25000,靓号年费套餐,中国联通,可选,a3 a4,是,7,"


def test_admin_import_reads_gbk_and_shows_updates_and_left_alone_rows(client, staff):
    NumberFactory(number="4006000001", price=100)
    NumberFactory(number="4006000002", price=100, status=NumberStatus.ACTIVE)
    content = "number,price,plan\n4006000001,8800,靓号年费套餐\n4006000002,8800,\n".encode("gbk")

    preview = admin_import(client, content, "n.csv", format_index(client, "csv"))

    body = preview.content.decode()
    assert preview.status_code == 200
    assert "已更新" in body and "不做改动" in body
    assert "4006000002 为“已开通”" in body
    confirm = preview.context["confirm_form"]
    client.post(reverse("admin:numbers_number_process_import"), confirm.initial)
    prices = dict(Number.objects.values_list("number", "price"))
    assert prices == {"4006000001": 8800, "4006000002": 100}


def test_admin_import_of_an_unreadable_file_says_so_in_chinese(client, staff):
    content = "number,price,plan\n4006328888,1,\n".encode("utf-16")

    response = admin_import(client, content, "n.csv", format_index(client, "csv"))

    assert response.status_code == 200
    assert "既不是 UTF-8 也不是 GBK/GB18030" in response.content.decode()


def test_staff_without_add_permission_cannot_import(client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_number"))
    client.force_login(user)

    assert client.get(reverse("admin:numbers_number_import")).status_code == 403
