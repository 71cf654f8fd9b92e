#include "plan/timeline.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace StageKinds {

namespace {
struct KindKey
{
    StageKind kind;
    QStringView key;
};
constexpr KindKey kKeys[] = {
    {StageKind::Backup, u"backup"},
    {StageKind::InitialSetup, u"setup"},
    {StageKind::SuppressionWave, u"suppressions"},
    {StageKind::SubscriberWave, u"wave"},
    {StageKind::Templates, u"templates"},
    {StageKind::Integration, u"integration"},
    {StageKind::Testing, u"testing"},
    {StageKind::Training, u"training"},
    {StageKind::GoLive, u"golive"},
    {StageKind::Review, u"review"},
};
} // namespace

QString key(StageKind kind)
{
    for (const KindKey &k : kKeys) {
        if (k.kind == kind)
            return k.key.toString();
    }
    return {};
}

std::optional<StageKind> fromKey(QStringView key)
{
    for (const KindKey &k : kKeys) {
        if (k.key == key)
            return k.kind;
    }
    return std::nullopt;
}

QStringList keys()
{
    QStringList out;
    for (const KindKey &k : kKeys)
        out.append(k.key.toString());
    return out;
}

QString displayName(StageKind kind)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("StageKinds", s); };
    switch (kind) {
    case StageKind::Backup: return tr("Backup");
    case StageKind::InitialSetup: return tr("Initial setup");
    case StageKind::SuppressionWave: return tr("Suppression wave");
    case StageKind::SubscriberWave: return tr("Subscriber waves");
    case StageKind::Templates: return tr("Templates and history");
    case StageKind::Integration: return tr("Integration");
    case StageKind::Testing: return tr("Testing");
    case StageKind::Training: return tr("Training");
    case StageKind::GoLive: return tr("Go-live");
    case StageKind::Review: return tr("Review");
    }
    return {};
}

} // namespace StageKinds

namespace WorkingDays {

bool isWorkingDay(const QDate &d)
{
    return d.dayOfWeek() < 6;
}

QDate onOrAfter(const QDate &d)
{
    QDate day = d;
    while (!isWorkingDay(day))
        day = day.addDays(1);
    return day;
}

QDate add(const QDate &d, int n)
{
    QDate day = onOrAfter(d);
    // Whole weeks first, so that a long plan does not walk day by day.
    day = day.addDays(qint64(n / 5) * 7);
    for (int left = n % 5; left > 0; --left)
        day = onOrAfter(day.addDays(1));
    return day;
}

QDate onOrBefore(const QDate &d)
{
    QDate day = d;
    while (!isWorkingDay(day))
        day = day.addDays(-1);
    return day;
}

QDate subtract(const QDate &d, int n)
{
    QDate day = onOrBefore(d);
    day = day.addDays(-qint64(n / 5) * 7);
    for (int left = n % 5; left > 0; --left)
        day = onOrBefore(day.addDays(-1));
    return day;
}

} // namespace WorkingDays

const Stage *Timeline::find(QStringView key) const
{
    for (const Stage &s : stages) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

Stage *Timeline::find(QStringView key)
{
    for (Stage &s : stages) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

QDate Timeline::end() const
{
    QDate last;
    for (const Stage &s : stages) {
        if (s.end.isValid() && (!last.isValid() || s.end > last))
            last = s.end;
    }
    return last;
}

void Timeline::schedule()
{
    QHash<QString, int> index;
    for (int i = 0; i < stages.size(); ++i)
        index.insert(stages[i].key, i);

    enum Mark { Unvisited, Visiting, Done };
    QList<Mark> marks(stages.size(), Unvisited);
    const QDate planStart = WorkingDays::onOrAfter(start.isValid() ? start : QDate::currentDate());

    // Depth-first: a stage starts on the working day after the last of its dependencies ends
    // (a milestone ends the day it starts, so what follows it may start the same day).
    std::function<void(int)> visit = [&](int i) {
        if (marks[i] != Unvisited)
            return; // Done, or Visiting: a cycle, broken here
        marks[i] = Visiting;
        Stage &s = stages[i];
        QDate earliest = planStart;
        for (const QString &dep : std::as_const(s.dependsOn)) {
            const auto it = index.constFind(dep);
            if (it == index.constEnd() || *it == i)
                continue;
            visit(*it);
            if (marks[*it] != Done)
                continue;
            const Stage &d = stages[*it];
            const QDate after = d.milestone || d.durationDays <= 0 ? d.end : WorkingDays::add(d.end, 1);
            if (after > earliest)
                earliest = after;
        }
        if (s.earliestStart.isValid() && s.earliestStart > earliest)
            earliest = s.earliestStart;
        s.start = WorkingDays::onOrAfter(earliest);
        const int days = s.milestone ? 0 : qMax(1, s.durationDays);
        s.end = days == 0 ? s.start : WorkingDays::add(s.start, days - 1);
        marks[i] = Done;
    };
    for (int i = 0; i < stages.size(); ++i)
        visit(i);
}
