"""Demo content from the page the product grew from: offices, plan, numbers, news, users.

Idempotent: records are looked up by their natural keys and left alone when present,
so staff edits survive a second run. Demo users get a random password, printed once.
"""

import io
import secrets
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import AGENTS, EDITORS, REVIEWERS
from compliance.models import Agent, Subscriber
from compliance.services import subscriber_create
from news.models import Article, ArticleStatus, Attachment, Category
from news.uploads import DOCX
from numbers import services
from numbers.models import CallbackRequest, Number, Order, OrderStatus, Plan, Prefix
from offices.models import Office

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Synthetic, checksum-valid codes for the demo subscriber (python-stdnum accepts both).
DEMO_CREDIT_CODE = "91440101MA5DM0000Q"
DEMO_ID_NUMBER = "110101190001010006"

# (slug, name, province, city, district, address); the first is the headquarters.
OFFICES = [
    (
        "guangzhou",
        "广州400电话办理中心",
        "广东",
        "广州",
        "白云区",
        "广州白云区螺涌北路3街12-14号13栋二楼201",
    ),
    (
        "dongguan",
        "东莞400电话办理中心",
        "广东",
        "东莞",
        "南城区",
        "广东省东莞市南城区莞太路星鹏商务大厦B座8D2",
    ),
    (
        "shenzhen",
        "深圳400电话办理中心",
        "广东",
        "深圳",
        "龙岗区",
        "深圳市龙岗区布吉街道大都汇大厦B座1605",
    ),
    (
        "dongguan-changan",
        "东莞长安区受理中心",
        "广东",
        "东莞",
        "长安镇",
        "东莞长安长荣五金商贸大厦5楼E5-7号",
    ),
    (
        "foshan",
        "佛山400电话办理中心",
        "广东",
        "佛山",
        "禅城区",
        "佛山市禅城区南庄镇紫洞南路11号总部特区F6栋802号",
    ),
    (
        "zhongshan",
        "中山400电话办理中心",
        "广东",
        "中山",
        "西区",
        "中山市西区富华道383号柏景台1棟18B房之二",
    ),
    (
        "jiangmen",
        "江门400电话办理中心",
        "广东",
        "江门",
        "台山市",
        "台山市台成镇环市东路东方广场B座1605室",
    ),
    (
        "hunan",
        "湖南400电话办理中心",
        "湖南",
        "长沙",
        "天心区",
        "湖南省长沙市天心区芙蓉中路三段420号华升大厦12楼",
    ),
    (
        "chongqing",
        "重庆400电话办理中心",
        "重庆",
        "重庆",
        "九龙坡区",
        "重庆市九龙坡区杨家坪西郊路27号",
    ),
    (
        "shandong",
        "山东400电话办理中心",
        "山东",
        "济南",
        "天桥区",
        "济南天桥区堤口路中段,大润发东邻名泉春晓小区",
    ),
    (
        "beijing",
        "北京400电话办理中心",
        "北京",
        "北京",
        "海淀区",
        "北京市海淀区中关村东路18号1号楼15层B-1508-020号",
    ),
    (
        "taiyuan",
        "山西太原400电话办理中心",
        "山西",
        "太原",
        "小店区",
        "山西省太原市小店区平阳路易城10幢606室",
    ),
    (
        "changchun",
        "长春400电话办理中心",
        "吉林",
        "长春",
        "绿园区",
        "长春市绿园区春城大街欧亚春城大厦15楼",
    ),
]

PLAN = {
    "name": "靓号年费套餐",
    "annual_fee": 25000,
    "included_minutes": 13888,
    "per_minute_fen": 15,
    "perks": "送彩铃",
}

# (number, views), as listed on the seed page, all at 25,000 yuan a year.
NUMBERS = [
    ("4006328888", 150), ("4006518888", 1258), ("4006818888", 22), ("4006229999", 86),
    ("4006989999", 1257), ("4006638888", 8755), ("4006708888", 487), ("4006908888", 872),
    ("4006836666", 157), ("4006326666", 265), ("4006208888", 6521), ("4006369999", 752),
    ("4006006666", 23), ("4006008888", 782), ("4006009999", 65), ("4006018888", 9875),
    ("4006019999", 87), ("4006029999", 458),
]  # fmt: skip

CATEGORIES = [
    ("company", "公司新闻", 10),
    ("industry", "行业资讯", 20),
    ("notices", "通知公告", 30),
]

ARTICLES = [
    {
        "slug": "real-name-verification-2016",
        "category": "notices",
        "title": "关于防范通讯信息诈骗、开展400用户实名制核查工作的通知",
        "summary": "请各代理商在截止日期前与全部400用户重新签署补充协议，并核验有效证照。",
        "published_at": datetime(2016, 3, 6, 9, 0, tzinfo=SHANGHAI),
        "view_count": 1487,
        "pinned": True,
        "body": """各位代理商：

为配合主管部门防范和打击通讯信息诈骗的工作部署，规范400业务经营秩序，我们将再次开展400用户实名制核查。具体安排如下：

1. **重新签署补充协议。** 请在截止日期前与名下全部400用户重新签署《400业务补充协议》，协议写明用户不得利用400号码从事违法违规活动。协议模板见本页附件。
2. **核验证照。** 对冒用、伪造或证照过期的用户，如在截止日期前仍不能提供有效的营业执照、组织机构代码证及法定代表人身份证，其号码将被关停。
3. **禁止外呼显示400号码。** 任何用户不得通过任何方式外呼显示400号码；因此引起骚扰投诉的，一经核实立即关停。
4. **妥善保管资料。** 代理商须按实名制要求收集真实证照，不得泄露、篡改或毁损，并将全部证照和信息在业务平台内留存。不按规范发展用户的代理商，将终止合作。

如有疑问，请联系您所在地区的办理中心。""",
    },
    {
        "slug": "choosing-a-400-number",
        "category": "industry",
        "title": "如何挑选一个好记的400号码",
        "summary": "AABB、ABAB、四连号、不带4……看懂靓号规律，选出客户一眼记住的号码。",
        "published_at": datetime(2024, 5, 20, 10, 0, tzinfo=SHANGHAI),
        "view_count": 312,
        "pinned": False,
        "body": """400号码会印在名片、招牌和广告上，好记的号码能让客户更容易拨通。

- **结尾重复**：如 8888、9999 结尾，读起来朗朗上口。
- **AABB / ABAB**：如 6688、6868，节奏感强。
- **顺子**：如 5678，容易记忆。
- **不带4**：很多企业偏好号码中不含数字4。

在[选号页面](/numbers/)可以按规律、运营商和价格筛选，看中的号码可以加入备选单比较。""",
    },
    {
        "slug": "new-offices-2024",
        "category": "company",
        "title": "办理中心服务时间调整",
        "summary": "各地办理中心自即日起周六照常营业，方便企业客户上门办理。",
        "published_at": datetime(2024, 9, 2, 9, 30, tzinfo=SHANGHAI),
        "view_count": 98,
        "pinned": False,
        "body": """为方便企业客户办理400业务，各地办理中心自即日起**周六照常营业**（9:00–17:30）。

办理时请携带营业执照、法定代表人身份证原件，如委托他人办理，请另带授权委托书和经办人身份证。各中心地址见[办理中心](/offices/)页面。""",
    },
]

DEMO_USERS = [
    # (username, group, is_staff, is_superuser)
    ("admin", None, True, True),
    ("editor", EDITORS, True, False),
    ("reviewer", REVIEWERS, True, False),
    ("agent", AGENTS, False, False),
]


class Command(BaseCommand):
    help = "Load the demo content (safe to run again: existing records are kept)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.seed_prefixes()
        self.seed_offices()
        self.seed_numbers()
        self.seed_news()
        self.seed_users()
        self.seed_news_attachments()
        self.seed_orders()
        self.seed_compliance()

    def seed_prefixes(self):
        Prefix.ensure_defaults()

    def seed_offices(self):
        for order, (slug, name, province, city, district, address) in enumerate(OFFICES):
            Office.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "province": province,
                    "city": city,
                    "district": district,
                    "address": address,
                    "opening_hours": "周一至周六 9:00–17:30",
                    "is_headquarters": order == 0,
                    "order": order * 10,
                },
            )
        self.stdout.write(f"Offices: {Office.objects.count()}")

    def seed_numbers(self):
        plan, _ = Plan.objects.get_or_create(name=PLAN["name"], defaults=PLAN)
        for digits, views in NUMBERS:
            Number.objects.get_or_create(
                number=digits,
                defaults={"price": 25000, "plan": plan, "view_count": views, "featured": True},
            )
        self.stdout.write(f"Numbers: {Number.objects.count()}")

    def seed_news(self):
        categories = {}
        for slug, name, order in CATEGORIES:
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "order": order}
            )
        for article in ARTICLES:
            Article.objects.get_or_create(
                slug=article["slug"],
                defaults={
                    **article,
                    "category": categories[article["category"]],
                    "status": ArticleStatus.PUBLISHED,
                },
            )
        self.stdout.write(f"Articles: {Article.objects.count()}")

    def seed_users(self):
        User = get_user_model()
        for username, group, is_staff, is_superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_staff, "is_superuser": is_superuser}
            )
            if group:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            if created:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                self.stdout.write(f"Demo user {username!r} created, password: {password}")
            else:
                self.stdout.write(f"Demo user {username!r} exists (password unchanged)")

    def seed_news_attachments(self):
        """The real-name notice offers its supplementary-agreement template."""
        notice = Article.objects.filter(slug="real-name-verification-2016").first()
        if notice is None or notice.attachments.exists():
            return
        content = _docx(AGREEMENT_TEMPLATE)
        Attachment.objects.create(
            article=notice,
            title="《400业务补充协议》模板",
            file=ContentFile(content, name="400-supplementary-agreement.docx"),
            size=len(content),
            content_type=DOCX.content_type,
            type_label=DOCX.label,
        )
        self.stdout.write("Attachments: the agreement template")

    def seed_orders(self):
        """One confirmed demo order and one call-back lead, made once through the services."""
        number = Number.objects.orderable().order_by("-number").first()
        if not Order.objects.exists() and number is not None:
            order = services.order_place(
                digits=number.number,
                name="王经理",
                company="示例贸易有限公司",
                mobile="13800138000",
                office=Office.objects.active().first(),
                message="演示订单",
            )
            services.order_transition(order=order, to=OrderStatus.CONFIRMED, note="演示数据")
        if not CallbackRequest.objects.exists():
            CallbackRequest.objects.create(
                name="陈先生", mobile="13900139000", message="想要一个8888结尾的号码"
            )
        self.stdout.write(
            f"Orders: {Order.objects.count()}, call-back requests: "
            f"{CallbackRequest.objects.count()}"
        )

    def seed_compliance(self):
        """The demo agent's profile and one subscriber with synthetic, checksum-valid codes.

        The ID number is born 1900-01-01 with sequence 000, which no office issues.
        """
        agent = get_user_model().objects.get(username="agent")
        Agent.objects.get_or_create(
            user=agent,
            defaults={
                "company": "示例代理有限公司",
                "office": Office.objects.filter(slug="guangzhou").first(),
            },
        )
        if not Subscriber.objects.filter(credit_code=DEMO_CREDIT_CODE).exists():
            subscriber_create(
                agent=agent,
                company_name="示例科技有限公司",
                credit_code=DEMO_CREDIT_CODE,
                legal_rep_name="示例法人",
                legal_rep_id_number=DEMO_ID_NUMBER,
                contact_name="示例联系人",
                contact_phone="020-00000000",
            )
        self.stdout.write(f"Subscribers: {Subscriber.objects.count()}")


AGREEMENT_TEMPLATE = [
    "400业务补充协议",
    "甲方（400用户）：________________    乙方（代理商）：________________",
    "一、甲方承诺提供真实、有效的营业执照、组织机构代码证及法定代表人身份证，并配合实名制核查。",
    "二、甲方不得利用400号码从事任何违法违规活动，不得通过任何方式外呼显示400号码。",
    "三、因甲方违反上述约定引起投诉或违法行为的，乙方有权立即关停其400号码。",
    "甲方（盖章）：                乙方（盖章）：",
    "日期：    年  月  日          日期：    年  月  日",
]


def _docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document with one paragraph per line."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return out.getvalue()
