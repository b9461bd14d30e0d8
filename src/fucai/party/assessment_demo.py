"""The `fucai demo` step for the 四强 self-assessment (after the Party branches and meetings):
the provincial branch's 2023 assessment as of 2023-09-03 against the seeded checklist, its
evidence the branch's demo meetings and two PDFs. Two items are left incomplete, so that "what
is missing" shows something: 主题党日 scored as the records suggest (4 of 5, no theme Party day
in May) and 按期换届 not scored, with no evidence (the branch's election is due in 2024)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from fucai.party.choices import MeetingType
from fucai.party.demo import AS_OF, PROVINCE_CODE

YEAR = 2023
# item order -> (points, note, evidence: meeting types or (type, topic) pairs, files)
# None for points: not scored; the items checked against organisational life get the points the
# records suggest (fucai.party.assessment.suggest)
SUGGESTED = "suggested"
ANSWERS = {
    1: (SUGGESTED, "三会一课按计划开展", ("member_assembly", "committee", "group", "lecture"), ()),
    2: (SUGGESTED, "5月未开展主题党日，已在6月补学", ("theme_day",), ()),
    3: (5, "", (("member_assembly", "2022年度组织生活会和民主评议党员"),), ()),
    4: (5, "", ("lecture",), ()),
    5: (SUGGESTED, "", ("committee",), ()),
    6: (SUGGESTED, "书记、副书记各讲党课", ("lecture",), ()),
    7: (5, "", (), ("支委分工.pdf",)),
    8: (None, "支部2021年换届，下一次换届在2024年", (), ()),
    9: (SUGGESTED, "", ("group",), ()),
    10: (7, "", (), ("2023年党费收缴台账.pdf",)),
    11: (6, "", (("member_assembly", "发展党员和预备党员转正表决"),), ()),
    12: (6, "", ("group",), ()),
    13: (8, "", (("committee", "研究市场管理员职级评定方案"),), ()),
    14: (
        6,
        "",
        (("theme_day", "学雷锋志愿服务进社区"), ("theme_day", "走进投注站听取业主意见")),
        (),
    ),
    15: (5, "", (), ()),
    16: (6, "", (("theme_day", "党纪学习警示教育"),), ()),
}
CONCLUSION = "支部2023年“四强”创建总体良好。5月主题党日未开展，已整改；换届工作按计划于2024年进行。"
EXPECTED_SCORE, EXPECTED_MAX = 93, 100
EXPECTED_MISSING = (2, 8)  # the items' orders


def _pdf(title: str) -> bytes:
    """A one-page PDF (what a scanned document stands for in the demo)."""
    text = f"fucai demo evidence: {title.encode('ascii', 'ignore').decode() or 'document'}"
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class AssessmentDemoBuilder:
    """The provincial branch's 2023 四强 self-assessment."""

    label = gettext_lazy("The provincial branch's four-strong assessment")

    def is_current(self, ctx) -> bool:
        from fucai.party.models import Assessment

        found = Assessment.objects.filter(branch__code=PROVINCE_CODE, year=YEAR)
        return Assessment.objects.count() == 1 and found.exists()

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.party.models import Assessment

        Assessment.objects.all().delete()  # their answers and the answers' attachments too

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE

        with acting_as(None, DEMO_SOURCE):
            count = self._build()
        ctx.progress(str(self.label), count)

    def _build(self) -> int:
        from fucai.party.assessment import checklist_for, suggest
        from fucai.party.models import Assessment, Branch

        branch = Branch.objects.filter(code=PROVINCE_CODE).first()
        checklist = checklist_for(YEAR)
        if branch is None or checklist is None:
            return 0
        assessment = Assessment.objects.create(
            branch=branch,
            year=YEAR,
            checklist=checklist,
            assessed_on=AS_OF,
            conclusion=CONCLUSION,
        )
        items = list(checklist.items.all())
        suggestions = suggest(branch, YEAR, AS_OF, items)
        for item in items:
            if item.order in ANSWERS:
                self._answer(assessment, item, suggestions.get(item.pk))
        return len(items)

    def _answer(self, assessment, item, suggestion) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fucai.core.attachments import store_attachment
        from fucai.party.models import AssessmentAnswer

        points, note, evidence, files = ANSWERS[item.order]
        if points == SUGGESTED:
            points = suggestion.points if suggestion else None
        answer = AssessmentAnswer.objects.create(
            assessment=assessment, item=item, points=points, note=note
        )
        answer.meetings.set(self._meetings(assessment.branch, evidence))
        for name in files:
            upload = SimpleUploadedFile(name, _pdf(name), content_type="application/pdf")
            store_attachment(upload, owner=answer)

    def _meetings(self, branch, evidence) -> list:
        """The branch's 2023 meetings up to the assessment's day: of a type, or by topic."""
        from fucai.party.models import Meeting

        meetings = Meeting.objects.filter(
            branch=branch, held_on__gte=dt.date(YEAR, 1, 1), held_on__lte=AS_OF
        )
        found = []
        for wanted in evidence:
            if isinstance(wanted, str):
                found += list(meetings.filter(meeting_type=MeetingType(wanted)))
            else:
                kind, topic = wanted
                found += list(meetings.filter(meeting_type=kind, topic=topic))
        return found

    def figures(self) -> str:
        from fucai.party.assessment import evaluate, prefetched
        from fucai.party.models import Assessment

        found = prefetched(Assessment.objects.filter(branch__code=PROVINCE_CODE, year=YEAR))
        assessment = found.first()
        if assessment is None:
            return ""
        result = evaluate(assessment)
        missing = "、".join(f"{r.item.order}. {r.item.text}" for r in result.missing) or "—"
        score = f"{result.score}/{result.max_points}"
        return f"{assessment.branch.name} {YEAR} 四强: {score}; missing {missing}"
