#include "plan/workload.h"

#include <QMap>

#include <algorithm>

QList<Workload> Workload::compute(const Timeline &timeline, const QList<ResolvedChecklistItem> &checklist)
{
    QMap<QString, Workload> byOwner;
    auto entry = [&byOwner](const QString &owner) -> Workload & {
        Workload &w = byOwner[owner.trimmed()];
        w.owner = owner.trimmed();
        return w;
    };
    for (const Stage &s : timeline.stages) {
        Workload &w = entry(s.owner);
        ++w.stages;
        w.workingDays += s.milestone ? 0 : qMax(0, s.durationDays);
        if (s.start.isValid() && (!w.firstDay.isValid() || s.start < w.firstDay))
            w.firstDay = s.start;
        if (s.end.isValid() && (!w.lastDay.isValid() || s.end > w.lastDay))
            w.lastDay = s.end;
    }
    for (const ResolvedChecklistItem &r : checklist) {
        Workload &w = entry(r.owner);
        ++w.tasks;
        if (r.item.status != ChecklistItem::Status::Done && r.item.status != ChecklistItem::Status::Skipped)
            ++w.openTasks;
    }
    QList<Workload> out = byOwner.values();
    std::stable_sort(out.begin(), out.end(), [](const Workload &a, const Workload &b) {
        if (a.owner.isEmpty() != b.owner.isEmpty())
            return b.owner.isEmpty();
        if (a.workingDays != b.workingDays)
            return a.workingDays > b.workingDays;
        return a.owner.localeAwareCompare(b.owner) < 0;
    });
    return out;
}
