#pragma once

#include "core/result.h"
#include "plan/checklist.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

struct Timeline;

/**
 * The migration checklist as files for people outside Stagecoach: CSV for spreadsheets, Markdown
 * for wikis and tickets, iCalendar for calendars.
 *
 * Every write goes through QSaveFile: the file appears complete or not at all, and a file already
 * at the path stays as it was when the write fails. The Error names the path and what to do.
 */
class ChecklistExport
{
    Q_DECLARE_TR_FUNCTIONS(ChecklistExport)

public:
    /**
     * RFC 4180 CSV: a header (Stage, Task, Owner, Due, Status, Milestone, Notes, translated), one
     * record per item, CRLF between records, fields quoted when they hold a comma, a quote, a line
     * break or leading/trailing blanks. UTF-8 with a byte order mark, because Excel reads a CSV
     * without one as the Windows code page and garbles every non-ASCII name; LibreOffice and
     * CsvReader accept the mark. Dates are ISO 8601 (2024-05-06), which both spreadsheets parse.
     */
    static Status writeCsv(const QString &path, const QList<ResolvedChecklistItem> &items);
    static QByteArray csv(const QList<ResolvedChecklistItem> &items);

    /**
     * Markdown (CommonMark with GitHub task lists): a heading per stage with its dates, a task
     * list item per item (`- [x]` when done) with owner, due date, status and notes. User text is
     * escaped so that it reads as typed, never as markup.
     */
    static Status writeMarkdown(const QString &path, const QString &projectName,
                                const Timeline &timeline,
                                const QList<ResolvedChecklistItem> &items);
    static QByteArray markdown(const QString &projectName, const Timeline &timeline,
                               const QList<ResolvedChecklistItem> &items);

    /**
     * iCalendar (RFC 5545) through libical: an all-day VEVENT on each item's due date (items
     * without one are left out), SUMMARY "task (stage)", DESCRIPTION with stage, owner, status and
     * notes; and an all-day VEVENT per milestone stage of the timeline. Milestones, of either
     * kind, carry CATEGORIES "Milestone"; done items a ✓ and STATUS:CONFIRMED, skipped ones
     * STATUS:CANCELLED. UIDs are stable across exports: the item's id (or, unsaved, its stage and
     * title) and a hash of the project name, so a calendar updates events instead of doubling them.
     */
    static Status writeIcs(const QString &path, const QString &projectName,
                           const Timeline &timeline, const QList<ResolvedChecklistItem> &items);
    static QByteArray ics(const QString &projectName, const Timeline &timeline,
                          const QList<ResolvedChecklistItem> &items);

    /// The CATEGORIES value of milestone events.
    static QString milestoneCategory();

private:
    static Status save(const QString &path, const QByteArray &bytes);
};
