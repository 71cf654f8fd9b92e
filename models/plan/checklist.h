#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>

/** One task of the migration checklist. */
struct ChecklistItem
{
    enum class Status { Open, InProgress, Done, Blocked, Skipped };

    qint64 id = 0;
    QString stageKey;   ///< the stage it belongs to
    QString title;
    QString owner;      ///< empty: the stage's owner
    QDate due;          ///< null: follows the stage (see offsetDays)
    int offsetDays = 0; ///< when due is null: due this many working days before the stage's end (preparation)
    Status status = Status::Open;
    bool milestone = false; ///< a go/no-go point (exported as a calendar event of its own)
    QString notes;

    static QString statusKey(Status s);                 ///< "open", "inProgress", ...
    static Status statusFromKey(QStringView key);       ///< Open when unknown
    static QString statusName(Status s);                ///< translated
};

/** A checklist item with its stage's owner and dates filled in: what exports and the PDF show. */
struct ResolvedChecklistItem
{
    ChecklistItem item;
    QString stageTitle;
    QString owner;      ///< the item's owner, or its stage's
    QDate due;          ///< the item's due date, or its stage's end
};

struct Stage;
struct Timeline;

namespace Checklist {
/// Fills in each item's stage title, owner (the stage's when the item has none) and due date
/// (when the item has none: the stage's end, less the item's offsetDays working days), in the order of the stages, then of the items.
QList<ResolvedChecklistItem> resolve(const QList<ChecklistItem> &items, const Timeline &timeline);
/// The due date of an item without a date of its own: the stage's end less the item's offset,
/// not before the stage's start.
QDate followingDue(const ChecklistItem &item, const Stage &stage);
} // namespace Checklist
