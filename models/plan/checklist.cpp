#include "plan/checklist.h"

#include "plan/timeline.h"

namespace {
struct StatusKey
{
    ChecklistItem::Status status;
    QStringView key;
};
constexpr StatusKey kStatusKeys[] = {
    {ChecklistItem::Status::Open, u"open"},
    {ChecklistItem::Status::InProgress, u"inProgress"},
    {ChecklistItem::Status::Done, u"done"},
    {ChecklistItem::Status::Blocked, u"blocked"},
    {ChecklistItem::Status::Skipped, u"skipped"},
};
} // namespace

QString ChecklistItem::statusKey(Status s)
{
    for (const StatusKey &k : kStatusKeys) {
        if (k.status == s)
            return k.key.toString();
    }
    return {};
}

ChecklistItem::Status ChecklistItem::statusFromKey(QStringView key)
{
    for (const StatusKey &k : kStatusKeys) {
        if (k.key == key)
            return k.status;
    }
    return Status::Open;
}

QString ChecklistItem::statusName(Status s)
{
    switch (s) {
    case Status::Open: return QCoreApplication::translate("ChecklistItem", "Open");
    case Status::InProgress: return QCoreApplication::translate("ChecklistItem", "In progress");
    case Status::Done: return QCoreApplication::translate("ChecklistItem", "Done");
    case Status::Blocked: return QCoreApplication::translate("ChecklistItem", "Blocked");
    case Status::Skipped: return QCoreApplication::translate("ChecklistItem", "Skipped");
    }
    return {};
}

QDate Checklist::followingDue(const ChecklistItem &item, const Stage &stage)
{
    if (!stage.end.isValid())
        return {};
    if (item.offsetDays <= 0)
        return stage.end;
    // Due early in the stage (preparation, e.g. DNS records), but not before it starts: before
    // that, nobody is on it yet.
    return qMax(WorkingDays::subtract(stage.end, item.offsetDays), stage.start.isValid() ? stage.start : stage.end);
}

QList<ResolvedChecklistItem> Checklist::resolve(const QList<ChecklistItem> &items, const Timeline &timeline)
{
    QList<ResolvedChecklistItem> out;
    out.reserve(items.size());
    auto add = [&out](const ChecklistItem &item, const Stage *stage) {
        ResolvedChecklistItem r;
        r.item = item;
        r.stageTitle = stage ? stage->title : QString();
        r.owner = !item.owner.isEmpty() ? item.owner : stage ? stage->owner : QString();
        r.due = item.due.isValid() ? item.due : stage ? Checklist::followingDue(item, *stage) : QDate();
        out.append(r);
    };
    for (const Stage &stage : timeline.stages) {
        for (const ChecklistItem &item : items) {
            if (item.stageKey == stage.key)
                add(item, &stage);
        }
    }
    // Items whose stage is gone (the user removed it) are kept, at the end.
    for (const ChecklistItem &item : items) {
        if (!timeline.find(item.stageKey))
            add(item, nullptr);
    }
    return out;
}
