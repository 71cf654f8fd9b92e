#include "reports/planhtml.h"

#include "plan/workload.h"
#include "reports/plandocument.h"

#include <QLocale>
#include <QMap>

namespace {
QString bulletList(const QString &lines)
{
    QStringList items;
    for (const QString &line : lines.split(u'\n')) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            items.append(QStringLiteral("<li>") + t.toHtmlEscaped() + QStringLiteral("</li>"));
    }
    if (items.isEmpty())
        return {};
    return QStringLiteral("<ul>") + items.join(QString()) + QStringLiteral("</ul>");
}

QDate firstStart(const Timeline &tl)
{
    QDate first;
    for (const Stage &s : tl.stages) {
        if (s.start.isValid() && (!first.isValid() || s.start < first))
            first = s.start;
    }
    return first;
}
} // namespace

QString PlanHtml::timeline(int number)
{
    // The chart starts a page, where it has the most room.
    const Timeline &tl = m_doc.timeline;
    QString html = section(number, tr("Timeline"), !tl.stages.isEmpty());
    if (tl.stages.isEmpty())
        return html + notYet(tr("No timeline has been planned yet."));

    const QDate first = firstStart(tl);
    int workingDays = 0;
    for (QDate d = first; d.isValid() && d <= tl.end(); d = d.addDays(1))
        workingDays += WorkingDays::isWorkingDay(d) ? 1 : 0;
    html += paragraph(
        tr("From %1 to %2: %3 working days. Bars run from the first to the last working day of "
           "a stage; weekends are shaded.")
            .arg(date(first), date(tl.end()))
            .arg(workingDays));
    // A slice fills a page: the next starts another. (The layout would not move an object
    // that does not fit to the next page; it would run over the bottom margin.)
    for (qsizetype i = 0; i < m_slices.size(); ++i) {
        html += QStringLiteral("<p%1>").arg(
                    i > 0 ? QStringLiteral(" style=\"page-break-before: always;\"") : QString())
                + marker(int(i)) + QStringLiteral("</p>");
    }

    html += subsection(tr("Stages and dates"));
    Table t;
    t.headers = {tr("Stage"), tr("Owner"), tr("Start"), tr("End"), tr("Working days")};
    t.widths = {36, 20, 14, 14, 16};
    t.align = {QStringLiteral("left"), QStringLiteral("left"), QStringLiteral("left"),
               QStringLiteral("left"), QStringLiteral("right")};
    for (const Stage &s : tl.stages) {
        QString title = esc(s.title);
        if (s.contacts > 0) {
            title += QStringLiteral("<br/><span class=\"muted small\">")
                     + (s.contacts == 1 ? tr("1 contact")
                                        : tr("%1 contacts").arg(PlanHtml::number(s.contacts)))
                           .toHtmlEscaped()
                     + QStringLiteral("</span>");
        }
        t.rows.append(
            {(s.milestone ? QStringLiteral("\u25c6 ") : QString()) + title, esc(s.owner),
             date(s.start), s.milestone ? QStringLiteral("\u2013") : date(s.end),
             s.milestone ? tr("milestone").toHtmlEscaped() : QString::number(s.durationDays)});
    }
    html += table(t);

    // Who carries what: the resource allocation by owner (a person or a role).
    html += subsection(tr("Resource allocation"));
    Table w;
    w.headers = {tr("Owner"), tr("Stages"), tr("Working days"), tr("Tasks"), tr("From"), tr("To")};
    w.widths = {32, 11, 15, 10, 16, 16};
    w.align = {QStringLiteral("left"), QStringLiteral("right"), QStringLiteral("right"), QStringLiteral("right"),
               QStringLiteral("left"), QStringLiteral("left")};
    for (const Workload &load : Workload::compute(tl, m_doc.checklist)) {
        w.rows.append({load.owner.isEmpty() ? muted(tr("no owner yet").toHtmlEscaped()) : esc(load.owner),
                       QString::number(load.stages), QString::number(load.workingDays), QString::number(load.tasks),
                       date(load.firstDay), date(load.lastDay)});
    }
    return html + table(w);
}

QString PlanHtml::stages(int number)
{
    QString html = section(number, tr("Stages: entry and exit criteria"));
    if (m_doc.timeline.stages.isEmpty())
        return html + notYet(tr("No stages have been planned yet."));
    html += paragraph(tr("A stage starts when its entry criteria hold and is finished when its "
                         "exit criteria hold."));
    Table t;
    t.headers = {tr("Stage"), tr("Entry criteria"), tr("Exit criteria")};
    t.widths = {26, 37, 37};
    const QString none = muted(tr("none written").toHtmlEscaped());
    for (const Stage &s : m_doc.timeline.stages) {
        QString stage = QStringLiteral("<b>") + esc(s.title)
                        + QStringLiteral("</b><br/><span class=\"muted small\">")
                        + (s.milestone ? date(s.start)
                                       : date(s.start) + QStringLiteral(" \u2013 ") + date(s.end))
                        + QStringLiteral("</span>");
        if (!s.notes.trimmed().isEmpty())
            stage += QStringLiteral("<br/><span class=\"small\">") + esc(s.notes.trimmed())
                     + QStringLiteral("</span>");
        const QString entry = bulletList(s.entryCriteria);
        const QString exit = bulletList(s.exitCriteria);
        t.rows.append({stage, entry.isEmpty() ? none : entry, exit.isEmpty() ? none : exit});
    }
    return html + table(t);
}

QString PlanHtml::checklist(int number)
{
    QString html = section(number, tr("Checklist"));
    const QList<ResolvedChecklistItem> &items = m_doc.checklist;
    if (items.isEmpty())
        return html + notYet(tr("No checklist has been drawn up yet."));

    QMap<ChecklistItem::Status, int> byStatus;
    for (const ResolvedChecklistItem &r : items)
        ++byStatus[r.item.status];
    QStringList counts;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        counts.append(tr("%1: %2").arg(ChecklistItem::statusName(it.key())).arg(it.value()));
    const QString byStatusText = counts.join(QStringLiteral(", "));
    html += paragraph(items.size() == 1
                          ? tr("1 task. %1. \u25c6 marks a go/no-go point.").arg(byStatusText)
                          : tr("%1 tasks. %2. \u25c6 marks a go/no-go point.")
                                .arg(QString::number(items.size()), byStatusText));

    // Grouped by stage: a row naming the stage, then its tasks.
    Table t;
    t.headers = {tr("Task"), tr("Owner"), tr("Due"), tr("Status")};
    t.widths = {52, 20, 14, 14};
    QString stage;
    bool first = true;
    for (const ResolvedChecklistItem &r : items) {
        if (first || r.stageTitle != stage) {
            first = false;
            stage = r.stageTitle;
            t.rows.append(
                {QStringLiteral("<b>")
                 + (stage.isEmpty() ? tr("Tasks of removed stages").toHtmlEscaped() : esc(stage))
                 + QStringLiteral("</b>")});
            t.rowStyles.append(QStringLiteral("background-color: #f3f5f8;"));
        }
        QString task = esc(r.item.title);
        if (r.item.milestone)
            task = QStringLiteral("<b>\u25c6 ") + task + QStringLiteral("</b>");
        QString status = ChecklistItem::statusName(r.item.status).toHtmlEscaped();
        if (r.item.status == ChecklistItem::Status::Done)
            status = QStringLiteral("<span style=\"color: #2e7d32;\">\u2713 ") + status
                     + QStringLiteral("</span>");
        else if (r.item.status == ChecklistItem::Status::Blocked)
            status = QStringLiteral("<span style=\"color: #a12a1e; font-weight: bold;\">") + status
                     + QStringLiteral("</span>");
        t.rows.append({task, esc(r.owner), date(r.due), status});
        t.rowStyles.append(QString());
    }
    return html + table(t);
}

QString PlanHtml::signOff(int number)
{
    QString html = section(number, tr("Sign-off"));
    html += paragraph(
        tr("By signing, the people below agree to this plan: its objectives, the platform chosen, "
           "the timeline and the checklist."));

    struct Signer
    {
        QString name;
        QString role;
    };
    QList<Signer> signers;
    if (!m_doc.owner.isEmpty()) {
        QString role = tr("Migration owner");
        for (const Person &p : m_doc.people) {
            if (p.name == m_doc.owner && !p.role.isEmpty())
                role = p.role;
        }
        signers.append({m_doc.owner, role});
    }
    for (const Person &p : m_doc.people) {
        if (p.name != m_doc.owner)
            signers.append({p.name, p.role});
    }
    if (signers.isEmpty()) // lines to fill in by hand
        signers = QList<Signer>(3);

    Table t;
    t.headers = {tr("Name"), tr("Role"), tr("Signature"), tr("Date")};
    t.widths = {26, 24, 32, 18};
    for (const Signer &s : std::as_const(signers)) {
        t.rows.append({esc(s.name), esc(s.role), QString(), QString()});
        // Room to sign by hand.
        t.rowStyles.append(QStringLiteral("padding-top: 24px; padding-bottom: 14px;"));
    }
    return html + table(t);
}
