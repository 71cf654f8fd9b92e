// The plan's status part: each stage's integrity review (issue 6).

#include "integrity/reviewreport.h"
#include "reports/plandocument.h"
#include "reports/planhtml.h"
#include "transfer/transferconfig.h"

#include <QLocale>

using namespace Qt::StringLiterals;

QString PlanHtml::reviews(int number)
{
    // The status part starts a page of its own: the plan before it is what was signed.
    QString html = section(number, tr("Integrity reviews"), true);
    html += paragraph(
        tr("After each wave the target was read back and compared with the backup of the source, "
           "contact by contact and field by field. Each decision below was recorded with the "
           "figures it was made on."));
    Table t;
    t.headers = {tr("Stage"), tr("Decision"), tr("Key figures"), tr("Comment")};
    t.widths = {16, 24, 36, 24};
    const QLocale l;
    for (const ReviewRecord &r : m_doc.reviews) {
        const std::optional<StageRef> ref = StageRef::fromId(r.stage);
        const QString decision = QStringLiteral("<b>") + esc(r.decisionText())
                                 + QStringLiteral("</b><br/>") + esc(r.reviewer)
                                 + QStringLiteral("<br/><span class=\"muted small\">")
                                 + esc(l.toString(r.reviewedAt.toLocalTime(), QLocale::ShortFormat))
                                 + QStringLiteral("</span>");
        QString figures = esc(ReviewReport::keyFigures(r.figures));
        if (const qint64 v = r.figures.value(u"consentViolations"_s).toInteger(); v > 0)
            figures = QStringLiteral("<span style=\"color: #b00020; font-weight: bold;\">")
                      + figures + QStringLiteral("</span>");
        t.rows.append(
            {esc(ref ? ref->title() : r.stage), decision, figures,
             r.comment.isEmpty() ? muted(tr("no comment").toHtmlEscaped()) : esc(r.comment)});
    }
    return html + table(t);
}
