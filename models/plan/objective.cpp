#include "plan/objective.h"

#include <QLocale>

QString Objective::comparisonKey(Comparison c)
{
    switch (c) {
    case Comparison::Below: return QStringLiteral("below");
    case Comparison::AtMost: return QStringLiteral("atMost");
    case Comparison::AtLeast: return QStringLiteral("atLeast");
    case Comparison::Above: return QStringLiteral("above");
    }
    return {};
}

Objective::Comparison Objective::comparisonFromKey(QStringView key)
{
    for (Comparison c : {Comparison::Below, Comparison::AtMost, Comparison::AtLeast, Comparison::Above}) {
        if (comparisonKey(c) == key)
            return c;
    }
    return Comparison::Below;
}

QString Objective::comparisonSymbol(Comparison c)
{
    switch (c) {
    case Comparison::Below: return QStringLiteral("<");
    case Comparison::AtMost: return QStringLiteral("\u2264");
    case Comparison::AtLeast: return QStringLiteral("\u2265");
    case Comparison::Above: return QStringLiteral(">");
    }
    return {};
}

QString Objective::criterion() const
{
    QString text = kpi.isEmpty() ? title : kpi;
    text += u' ' + comparisonSymbol(comparison) + u' ' + QLocale().toString(threshold, 'g', 6);
    if (!unit.isEmpty())
        text += (unit == u"%" ? QStringLiteral("\u00a0") : QStringLiteral(" ")) + unit;
    if (!scope.isEmpty())
        text += QStringLiteral(" (") + scope + u')';
    return text;
}

namespace CommonGoals {

namespace {
Objective kpi(const char *goal, const QString &title, const QString &kpiName, Objective::Comparison c,
              double threshold, const QString &unit, const QString &scope)
{
    Objective o;
    o.goal = QString::fromLatin1(goal);
    o.title = title;
    o.kpi = kpiName;
    o.comparison = c;
    o.threshold = threshold;
    o.unit = unit;
    o.scope = scope;
    return o;
}
} // namespace

const QList<CommonGoal> &all()
{
    using C = Objective::Comparison;
    // Thresholds are the usual industry guidance (e.g. the mailbox providers' 0.1 % complaint
    // rate); the user adjusts them on the Objectives page.
    static const QList<CommonGoal> goals = [] {
        const QString pct = QStringLiteral("%");
        QList<CommonGoal> g;
        {
            const QString t = QCoreApplication::translate("CommonGoals", "Improved deliverability");
            g.append({QStringLiteral("deliverability"), t,
                      QCoreApplication::translate("CommonGoals",
                                                  "Land in the inbox at least as often as before, from an authenticated domain."),
                      {kpi("deliverability", t, QCoreApplication::translate("CommonGoals", "Hard bounce rate"), C::Below, 2, pct,
                           QCoreApplication::translate("CommonGoals", "first wave")),
                       kpi("deliverability", t, QCoreApplication::translate("CommonGoals", "Spam complaint rate"), C::Below, 0.1, pct,
                           QCoreApplication::translate("CommonGoals", "every wave")),
                       kpi("deliverability", t, QCoreApplication::translate("CommonGoals", "Unique open rate"), C::AtLeast, 20, pct,
                           QCoreApplication::translate("CommonGoals", "30 days after go-live"))}});
        }
        {
            const QString t = QCoreApplication::translate("CommonGoals", "Better analytics");
            g.append({QStringLiteral("analytics"), t,
                      QCoreApplication::translate("CommonGoals",
                                                  "Keep the campaign history and measure revenue and engagement per contact."),
                      {kpi("analytics", t, QCoreApplication::translate("CommonGoals", "Campaign reports carried over"), C::AtLeast, 100, pct,
                           QCoreApplication::translate("CommonGoals", "before go-live")),
                       kpi("analytics", t, QCoreApplication::translate("CommonGoals", "Contacts with engagement history"), C::AtLeast, 95, pct,
                           QCoreApplication::translate("CommonGoals", "after the last wave"))}});
        }
        {
            const QString t = QCoreApplication::translate("CommonGoals", "CRM integration");
            g.append({QStringLiteral("integration"), t,
                      QCoreApplication::translate("CommonGoals",
                                                  "Contacts and consent stay in step with the CRM and the shop."),
                      {kpi("integration", t, QCoreApplication::translate("CommonGoals", "Sync delay CRM to email platform"), C::AtMost, 15,
                           QCoreApplication::translate("CommonGoals", "minutes"),
                           QCoreApplication::translate("CommonGoals", "testing stage")),
                       kpi("integration", t, QCoreApplication::translate("CommonGoals", "Records failing to sync"), C::Below, 0.5, pct,
                           QCoreApplication::translate("CommonGoals", "first week after go-live"))}});
        }
        {
            const QString t = QCoreApplication::translate("CommonGoals", "Lower cost");
            g.append({QStringLiteral("cost"), t,
                      QCoreApplication::translate("CommonGoals", "Pay less for the same audience and sending volume."),
                      {kpi("cost", t, QCoreApplication::translate("CommonGoals", "Monthly platform cost"), C::AtMost, 300,
                           QCoreApplication::translate("CommonGoals", "EUR per month"),
                           QCoreApplication::translate("CommonGoals", "first full month")),
                       kpi("cost", t, QCoreApplication::translate("CommonGoals", "Contacts billed but never emailed"), C::Below, 5, pct,
                           QCoreApplication::translate("CommonGoals", "after the last wave"))}});
        }
        return g;
    }();
    return goals;
}

const CommonGoal *find(QStringView key)
{
    for (const CommonGoal &g : all()) {
        if (g.key == key)
            return &g;
    }
    return nullptr;
}

} // namespace CommonGoals
