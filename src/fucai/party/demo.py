"""The `fucai demo` step for Party building (after the network's users, visits and partners):
the provincial centre's branch and its 2023 organisational life to 2023-09-03, as the seed tells
it — 6 member assemblies, 20 committee meetings, 15 group meetings, 5 Party lectures by the
centre's leaders, and the monthly theme Party days (the seed's two themes among them) but for
May, the month the compliance checker flags — and a branch for each of the 11 cities with a few
members and records. Every person is fictional; the `party` demo user is a member of the
provincial branch, the `ganzhou` demo user secretary of 赣州's."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from fucai.party.choices import MeetingType, MemberRole

D = dt.date.fromisoformat
AS_OF = dt.date(2023, 9, 3)
PROVINCE_CODE = "DZ360000"
PROVINCE_NAME = "江西省福利彩票发行中心党支部"
SEED_THEMES = ("贯彻党的二十大、奋进新征程", "传承红色基因、增强党纪意识")
MISSING_THEME_MONTH = 5  # no theme Party day in May: the checker's flag

# the provincial branch's members: (name, role, group, cadre); all fictional
PROVINCE_MEMBERS = (
    ("陈立新", MemberRole.SECRETARY, 0, True),
    ("王建华", MemberRole.DEPUTY, 1, True),
    ("刘晓燕", MemberRole.COMMITTEE, 0, True),
    ("张卫东", MemberRole.COMMITTEE, 1, True),
    ("李文静", MemberRole.COMMITTEE, 0, True),
    ("赵志刚", MemberRole.MEMBER, 0, True),
    ("孙丽萍", MemberRole.MEMBER, 0, False),
    ("周海涛", MemberRole.MEMBER, 1, True),
    ("吴秀英", MemberRole.MEMBER, 1, False),
    ("郑国强", MemberRole.MEMBER, 0, True),
    ("黄思远", MemberRole.MEMBER, 1, False),
    ("胡晓梅", MemberRole.MEMBER, 0, False),
    ("林子豪", MemberRole.PROBATIONARY, 1, False),
    ("何雨欣", MemberRole.PROBATIONARY, 0, False),
)
GROUPS = ("第一党小组", "第二党小组")
LEADERS = (0, 1)  # the centre's leaders: they lecture

ASSEMBLIES = (
    ("2023-01-18", "学习贯彻党的二十大精神专题党员大会"),
    ("2023-03-22", "2022年度组织生活会和民主评议党员"),
    ("2023-04-20", "主题教育动员部署"),
    ("2023-06-28", "发展党员和预备党员转正表决"),
    ("2023-07-19", "学习省委第十五届四次全会精神"),
    ("2023-08-30", "主题教育专题党员大会"),
)
# committee meetings per month, January to August: 20
COMMITTEES_PER_MONTH = (3, 3, 2, 3, 2, 3, 2, 2)
COMMITTEE_TOPICS = (
    "研究部署本月党建和业务工作",
    "研究市场管理员职级评定方案",
    "研究综合考评办法修订",
    "研究发展党员工作",
)
# group meetings per month, January to August (the two groups): 15
GROUPS_PER_MONTH = (2, 2, 2, 2, 2, 2, 2, 1)
LECTURES = (
    ("2023-02-24", "以党的二十大精神引领福彩事业高质量发展", 0),
    ("2023-03-30", "强化党纪意识，守牢廉洁底线", 1),
    ("2023-05-26", "学思想、强党性、重实践、建新功", 0),
    ("2023-06-30", "牢记初心使命，践行福彩宗旨", 1),
    ("2023-07-01", "传承红色基因，筑牢政治忠诚", 0),
)
THEME_DAYS = (
    ("2023-01-13", "新春走访慰问困难党员"),
    ("2023-02-17", SEED_THEMES[0]),
    ("2023-03-05", "学雷锋志愿服务进社区"),
    ("2023-04-04", "清明祭英烈"),
    ("2023-06-16", "党纪学习警示教育"),
    ("2023-07-07", SEED_THEMES[1]),
    ("2023-08-11", "走进投注站听取业主意见"),
)
CITY_MEMBERS = (
    ("secretary", "郭"),
    ("deputy", "罗"),
    ("committee", "梁"),
    ("member", "宋"),
    ("member", "谢"),
)
GIVEN = ("建国", "春燕", "志强", "海燕", "明辉", "红梅", "永强", "丽君", "俊杰", "雪芳", "伟民")
EXPECTED_MEETINGS = (
    len(ASSEMBLIES)
    + sum(COMMITTEES_PER_MONTH)
    + sum(GROUPS_PER_MONTH)
    + len(LECTURES)
    + len(THEME_DAYS)
)
CITY_MEETINGS = 6  # per city branch: an assembly, three committee meetings, a lecture, a theme day


def _phone(n: int) -> str:
    return f"1399100{n:04d}"


class PartyDemoBuilder:
    """The provincial and city Party branches and their 2023 organisational life."""

    label = gettext_lazy("Party branches and their meetings")

    def _cities(self):
        from fucai.geo.models import Division

        return list(Division.objects.filter(level="prefecture").order_by("code"))

    def is_current(self, ctx) -> bool:
        from fucai.party.models import Branch, Meeting

        cities = len(self._cities())
        expected = EXPECTED_MEETINGS + CITY_MEETINGS * cities
        return Branch.objects.count() == 1 + cities and Meeting.objects.count() == expected

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.party.models import Absence, Branch, ComplianceRule, Meeting, Member, PartyGroup

        for model in (Absence, Meeting, Member, PartyGroup):
            model.objects.all().delete()
        ComplianceRule.objects.exclude(branch=None).delete()
        Branch.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE

        with acting_as(None, DEMO_SOURCE):
            meetings = self._province()
            for number, city in enumerate(self._cities()):
                meetings += self._city(city, number)
        ctx.progress(str(self.label), meetings)

    # -- the provincial branch ----------------------------------------------------------------
    def _province(self) -> int:
        from fucai.accounts.models import User
        from fucai.party.models import Branch, Member, PartyGroup

        branch = Branch.objects.create(code=PROVINCE_CODE, name=PROVINCE_NAME)
        groups = [PartyGroup.objects.create(branch=branch, name=name) for name in GROUPS]
        members = [
            Member.objects.create(
                branch=branch,
                group=groups[group],
                name=name,
                phone=_phone(i),
                role=role,
                joined_on=dt.date(1990 + i, 7 - i % 6, 1 + i),
                is_cadre=cadre,
            )
            for i, (name, role, group, cadre) in enumerate(PROVINCE_MEMBERS)
        ]
        party_user = User.objects.filter(username="party").first()
        if party_user is not None:
            Member.objects.filter(pk=members[2].pk).update(user=party_user)
        count = 0
        secretary = members[0]
        for day, topic in ASSEMBLIES:
            count += self._meet(branch, MeetingType.MEMBER_ASSEMBLY, day, topic, secretary, members)
        count += self._monthly(branch, MeetingType.COMMITTEE, COMMITTEES_PER_MONTH, members[:5])
        count += self._group_meetings(branch, groups, members)
        for day, topic, leader in LECTURES:
            count += self._meet(branch, MeetingType.LECTURE, day, topic, members[leader], members)
        for day, topic in THEME_DAYS:
            count += self._meet(branch, MeetingType.THEME_DAY, day, topic, members[0], members)
        return count

    def _monthly(self, branch, kind, per_month, members) -> int:
        count = 0
        for month, n in enumerate(per_month, start=1):
            for k in range(n):
                day = dt.date(2023, month, 6 + 9 * k)
                topic = COMMITTEE_TOPICS[(month + k) % len(COMMITTEE_TOPICS)]
                count += self._meet(branch, kind, day.isoformat(), topic, members[0], members)
        return count

    def _group_meetings(self, branch, groups, members) -> int:
        count = 0
        for month, n in enumerate(GROUPS_PER_MONTH, start=1):
            for k in range(n):
                group = groups[k % len(groups)]
                people = [m for m in members if m.group_id == group.pk]
                day = dt.date(2023, month, 12 + 7 * k).isoformat()
                topic = f"{group.name}集中学习"
                count += self._meet(branch, MeetingType.GROUP, day, topic, people[0], people, group)
        return count

    def _meet(self, branch, kind, day, topic, leader, members, group=None) -> int:
        """One meeting; the last member is absent (on leave) from every other one; the August
        assembly was entered after the fact."""
        from fucai.party.models import Absence, Meeting

        held = D(day)
        late = kind == MeetingType.MEMBER_ASSEMBLY and held.month == 8
        meeting = Meeting.objects.create(
            branch=branch,
            meeting_type=kind,
            group=group,
            held_on=held,
            topic=topic,
            led_by=leader,
            minutes=f"{topic}。会议由{leader.name}主持，参会同志逐一发言，形成会议记录。",
            entered_on=held + dt.timedelta(days=12 if late else 1),
            late_reason="记录人出差，会后补录" if late else "",
        )
        absent = members[-1] if held.day % 2 and len(members) > 2 else None
        meeting.attendees.set([m for m in members if m is not absent])
        if absent is not None:
            Absence.objects.create(meeting=meeting, member=absent, reason="因公出差，已请假")
        return 1

    # -- the city branches --------------------------------------------------------------------
    def _city(self, city, number: int) -> int:
        from fucai.accounts.models import User
        from fucai.party.models import Branch, Member, PartyGroup

        short = city.name.removesuffix("市")
        branch = Branch.objects.create(
            code=f"DZ{city.code}", name=f"{short}市福利彩票发行中心党支部", city=city
        )
        group = PartyGroup.objects.create(branch=branch, name="第一党小组")
        members = [
            Member.objects.create(
                branch=branch,
                group=group,
                name=surname + GIVEN[(number + i) % len(GIVEN)],
                phone=_phone(100 + 10 * number + i),
                role=role,
                joined_on=dt.date(1995 + i + number % 5, 7, 1),
                is_cadre=i < 3,
            )
            for i, (role, surname) in enumerate(CITY_MEMBERS)
        ]
        if short == "赣州":
            secretary = User.objects.filter(username="ganzhou").first()
            if secretary is not None:
                Member.objects.filter(pk=members[0].pk).update(user=secretary)
        records = (
            (MeetingType.MEMBER_ASSEMBLY, "2023-03-15", "学习贯彻党的二十大精神"),
            (MeetingType.COMMITTEE, "2023-01-10", "研究部署全年党建工作"),
            (MeetingType.COMMITTEE, "2023-02-10", "研究站点结对帮扶方案"),
            (MeetingType.COMMITTEE, "2023-04-10", "研究网点建设推进"),
            (MeetingType.LECTURE, "2023-06-29", "践行福彩宗旨，服务公益事业"),
            (MeetingType.THEME_DAY, "2023-07-01", SEED_THEMES[1]),
        )
        for kind, day, topic in records:
            self._meet(branch, kind, day, topic, members[0], members)
        return len(records)

    def figures(self) -> str:
        from fucai.party.compliance import compliance
        from fucai.party.models import Branch

        branch = Branch.objects.filter(code=PROVINCE_CODE).first()
        if branch is None:
            return ""
        items = compliance(branch, 2023, AS_OF)
        held = " / ".join(f"{i.label} {i.held}" for i in items)
        missing = [p for i in items for p in i.missing_periods]
        return f"{PROVINCE_NAME} 2023 to {AS_OF}: {held}; missing {', '.join(missing) or '—'}"
