#include "reports/checklistexport.h"

#include "csv/csvwriter.h"
#include "plan/timeline.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QSaveFile>
#include <QStringList>

#include <libical/ical.h>

#include <memory>

namespace {

QString isoDate(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

QString stageName(const ResolvedChecklistItem &r)
{
    return r.stageTitle.isEmpty() ? r.item.stageKey : r.stageTitle;
}

// Markdown --------------------------------------------------------------------------------------

QString escapeMarkdownLine(QStringView line)
{
    // Inline markup anywhere: emphasis, code, links, HTML and entities, tables, strikethrough,
    // math.
    static const QString kAlways = QStringLiteral("\\`*_[]<>|~&#$");
    // At the start of a line: what would begin a list, a heading underline or a thematic break.
    qsizetype blockMark = -1;
    if (line.startsWith(u'-') || line.startsWith(u'+') || line.startsWith(u'=')) {
        blockMark = 0;
    } else {
        qsizetype digits = 0;
        while (digits < line.size() && line.at(digits) >= u'0' && line.at(digits) <= u'9')
            ++digits;
        if (digits > 0 && digits < line.size()
            && (line.at(digits) == u'.' || line.at(digits) == u')'))
            blockMark = digits; // "1." -> "1\." is no longer an ordered list
    }
    QString out;
    out.reserve(line.size() + 8);
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (i == blockMark || kAlways.contains(line.at(i)))
            out += u'\\';
        out += line.at(i);
    }
    return out;
}

// User text as Markdown: every line escaped, line breaks kept as hard breaks, continuation lines
// indented so that they stay inside the list item.
QString escapeMarkdown(const QString &text, const QString &indent = {})
{
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(u'\r', u'\n');
    QStringList lines;
    for (QStringView line : QStringView(normalized).split(u'\n'))
        lines.append(escapeMarkdownLine(line.trimmed()));
    return lines.join(QStringLiteral("\\\n") + indent);
}

// iCalendar ------------------------------------------------------------------------------------

struct IcalFree
{
    void operator()(icalcomponent *c) const { icalcomponent_free(c); }
    void operator()(char *s) const { icalmemory_free_buffer(s); }
};

icaltimetype icalDate(const QDate &d)
{
    icaltimetype t = icaltime_null_date();
    t.year = d.year();
    t.month = d.month();
    t.day = d.day();
    return t;
}

// A stable, opaque part of a UID: the same input gives the same text in every export.
QByteArray shortHash(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
}

// An all-day event (DTSTART;VALUE=DATE, DTEND the next day, RFC 5545 3.6.1), free time.
icalcomponent *allDayEvent(const QByteArray &uid, const QDate &day, const icaltimetype &stamp,
                           const QString &summary, const QString &description)
{
    icalcomponent *event = icalcomponent_new_vevent();
    icalcomponent_add_property(event, icalproperty_new_uid(uid.constData()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(event, icalproperty_new_dtstart(icalDate(day)));
    icalcomponent_add_property(event, icalproperty_new_dtend(icalDate(day.addDays(1))));
    icalcomponent_add_property(event, icalproperty_new_summary(summary.toUtf8().constData()));
    if (!description.isEmpty())
        icalcomponent_add_property(event,
                                   icalproperty_new_description(description.toUtf8().constData()));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    return event;
}

} // namespace

QString ChecklistExport::milestoneCategory()
{
    return tr("Milestone");
}

QByteArray ChecklistExport::ics(const QString &projectName, const Timeline &timeline,
                                const QList<ResolvedChecklistItem> &items)
{
    const std::unique_ptr<icalcomponent, IcalFree> calendar(icalcomponent_new_vcalendar());
    icalcomponent *cal = calendar.get();
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal,
                               icalproperty_new_prodid("-//Stagecoach//Migration checklist//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    // Not in RFC 5545, but what Google Calendar, Outlook and Apple Calendar name an import after.
    icalproperty *name
        = icalproperty_new_x(tr("%1: migration checklist").arg(projectName).toUtf8().constData());
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(cal, name);

    const icaltimetype stamp = icaltime_from_timet_with_zone(QDateTime::currentSecsSinceEpoch(), 0,
                                                             icaltimezone_get_utc_timezone());
    const QByteArray project = shortHash(projectName);
    const QByteArray milestone = milestoneCategory().toUtf8();

    for (const Stage &stage : timeline.stages) {
        if (!stage.milestone || !stage.start.isValid())
            continue;
        QStringList description{tr("Milestone of the migration plan.")};
        if (!stage.owner.isEmpty())
            description.append(tr("Owner: %1").arg(stage.owner));
        if (!stage.exitCriteria.trimmed().isEmpty())
            description.append(tr("Criteria:\n%1").arg(stage.exitCriteria.trimmed()));
        if (!stage.notes.trimmed().isEmpty())
            description.append(stage.notes.trimmed());
        const QByteArray uid = "stage-" + shortHash(stage.key) + '-' + project + "@stagecoach";
        icalcomponent *event
            = allDayEvent(uid, stage.start, stamp, stage.title.isEmpty() ? stage.key : stage.title,
                          description.join(u'\n'));
        icalcomponent_add_property(event, icalproperty_new_categories(milestone.constData()));
        icalcomponent_add_component(cal, event);
    }

    QHash<QByteArray, int> unsavedSeen;
    for (const ResolvedChecklistItem &r : items) {
        if (!r.due.isValid())
            continue;
        QByteArray key;
        if (r.item.id > 0) {
            key = QByteArray::number(r.item.id);
        } else {
            // Unsaved: stage and title, numbered when the same task appears twice in a stage.
            key = "new-" + shortHash(r.item.stageKey + u'\n' + r.item.title);
            if (const int n = unsavedSeen[key]++; n > 0)
                key += '-' + QByteArray::number(n + 1);
        }
        const QByteArray uid = "checklist-" + key + '-' + project + "@stagecoach";

        const bool done = r.item.status == ChecklistItem::Status::Done;
        const QString stage = stageName(r);
        QString summary = stage.isEmpty() ? r.item.title : tr("%1 (%2)").arg(r.item.title, stage);
        if (done)
            summary = QStringLiteral("✓ ") + summary;
        QStringList description;
        if (!stage.isEmpty())
            description.append(tr("Stage: %1").arg(stage));
        if (!r.owner.isEmpty())
            description.append(tr("Owner: %1").arg(r.owner));
        description.append(tr("Status: %1").arg(ChecklistItem::statusName(r.item.status)));
        if (r.item.milestone)
            description.append(tr("A go/no-go point."));
        if (!r.item.notes.trimmed().isEmpty())
            description.append(u'\n' + r.item.notes.trimmed());

        icalcomponent *event = allDayEvent(uid, r.due, stamp, summary, description.join(u'\n'));
        if (r.item.milestone)
            icalcomponent_add_property(event, icalproperty_new_categories(milestone.constData()));
        if (done)
            icalcomponent_add_property(event, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
        else if (r.item.status == ChecklistItem::Status::Skipped)
            icalcomponent_add_property(event, icalproperty_new_status(ICAL_STATUS_CANCELLED));
        icalcomponent_add_component(cal, event);
    }

    const std::unique_ptr<char, IcalFree> text(icalcomponent_as_ical_string_r(cal));
    return text ? QByteArray(text.get()) : QByteArray();
}

Status ChecklistExport::save(const QString &path, const QByteArray &bytes)
{
    const QString hint
        = tr("Choose a folder you can write to and check that the disk is not full.");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{tr("the checklist cannot be saved: %1.").arg(file.errorString()), path, hint};
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error{tr("the checklist cannot be saved: %1.").arg(reason), path, hint};
    }
    if (!file.commit())
        return Error{tr("the checklist cannot be saved: %1.").arg(file.errorString()), path, hint};
    return Status::success();
}

QByteArray ChecklistExport::csv(const QList<ResolvedChecklistItem> &items)
{
    QString out;
    CsvWriter::appendRecord(out, {tr("Stage"), tr("Task"), tr("Owner"), tr("Due"), tr("Status"),
                          tr("Milestone"), tr("Notes")});
    for (const ResolvedChecklistItem &r : items) {
        CsvWriter::appendRecord(out, {stageName(r), r.item.title, r.owner, isoDate(r.due),
                              ChecklistItem::statusName(r.item.status),
                              r.item.milestone ? tr("yes") : QString(), r.item.notes});
    }
    return QByteArrayLiteral("\xEF\xBB\xBF") + out.toUtf8();
}

Status ChecklistExport::writeCsv(const QString &path, const QList<ResolvedChecklistItem> &items)
{
    return save(path, csv(items));
}

QByteArray ChecklistExport::markdown(const QString &projectName, const Timeline &timeline,
                                     const QList<ResolvedChecklistItem> &items)
{
    QString out;
    out += QStringLiteral("# ") + escapeMarkdown(tr("%1: migration checklist").arg(projectName))
           + QStringLiteral("\n");

    bool first = true;
    const Stage *current = nullptr;
    for (const ResolvedChecklistItem &r : items) {
        const Stage *stage = timeline.find(r.item.stageKey);
        if (first || stage != current) {
            // A heading per stage; items whose stage is gone share one at the end (resolve's
            // order).
            first = false;
            current = stage;
            out += QStringLiteral("\n## ");
            if (!stage) {
                out += escapeMarkdown(tr("Tasks of stages no longer in the plan")) + u'\n';
            } else {
                out += escapeMarkdown(stage->title.isEmpty() ? stage->key : stage->title) + u'\n';
                QStringList facts;
                if (stage->milestone && stage->start.isValid())
                    facts.append(tr("Milestone on %1").arg(isoDate(stage->start)));
                else if (stage->start.isValid())
                    facts.append(tr("%1 to %2").arg(isoDate(stage->start), isoDate(stage->end)));
                if (!stage->owner.isEmpty())
                    facts.append(tr("Owner: %1").arg(stage->owner));
                if (!facts.isEmpty())
                    out += u'\n' + escapeMarkdown(facts.join(QStringLiteral(" · "))) + u'\n';
            }
            out += u'\n';
        }

        const bool done = r.item.status == ChecklistItem::Status::Done;
        out += done ? QStringLiteral("- [x] ") : QStringLiteral("- [ ] ");
        const QString title = escapeMarkdown(r.item.title, QStringLiteral("  "));
        out += r.item.milestone ? QStringLiteral("**") + title + QStringLiteral("**") : title;

        QStringList details;
        if (!r.owner.trimmed().isEmpty())
            details.append(r.owner.trimmed());
        if (r.due.isValid())
            details.append(tr("due %1").arg(isoDate(r.due)));
        if (r.item.status != ChecklistItem::Status::Open && !done)
            details.append(ChecklistItem::statusName(r.item.status));
        if (r.item.milestone)
            details.append(tr("go/no-go"));
        if (!details.isEmpty())
            out += QStringLiteral(" — ") + escapeMarkdown(details.join(QStringLiteral(", ")));
        if (!r.item.notes.trimmed().isEmpty()) {
            out += QStringLiteral("\\\n  ")
                   + escapeMarkdown(tr("Notes: %1").arg(r.item.notes.trimmed()),
                                    QStringLiteral("  "));
        }
        out += u'\n';
    }
    if (items.isEmpty())
        out += u'\n' + escapeMarkdown(tr("The checklist is empty.")) + u'\n';
    return out.toUtf8();
}

Status ChecklistExport::writeMarkdown(const QString &path, const QString &projectName,
                                      const Timeline &timeline,
                                      const QList<ResolvedChecklistItem> &items)
{
    return save(path, markdown(projectName, timeline, items));
}

Status ChecklistExport::writeIcs(const QString &path, const QString &projectName,
                                 const Timeline &timeline,
                                 const QList<ResolvedChecklistItem> &items)
{
    const QByteArray bytes = ics(projectName, timeline, items);
    if (bytes.isEmpty()) // libical could not allocate the text
        return Error{tr("the calendar could not be built."), path,
                     tr("Close other programs and try again.")};
    return save(path, bytes);
}
