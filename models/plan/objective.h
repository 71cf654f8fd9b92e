#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

/** A goal of the migration with a measurable success criterion: "hard bounce rate < 2 % (first wave)". */
struct Objective
{
    enum class Comparison { Below, AtMost, AtLeast, Above };

    qint64 id = 0;
    QString goal;     ///< common goal key ("deliverability", "analytics", "integration", "cost") or "custom"
    QString title;    ///< the goal in the user's words
    QString kpi;      ///< what is measured: "Hard bounce rate"
    Comparison comparison = Comparison::Below;
    double threshold = 0;
    QString unit;     ///< "%", "minutes", "EUR per month" ...
    QString scope;    ///< when or on what it is measured: "first wave", "30 days after go-live"
    QString notes;

    /// "Hard bounce rate < 2 % (first wave)".
    QString criterion() const;

    static QString comparisonKey(Comparison c);           ///< "below", "atMost", ...
    static Comparison comparisonFromKey(QStringView key);  ///< Below when unknown
    static QString comparisonSymbol(Comparison c);        ///< "<", "≤", "≥", ">"
};

/** The goals most migrations have, each with the KPIs that measure it (offered on the Objectives page). */
struct CommonGoal
{
    QString key;
    QString title;       ///< translated
    QString description; ///< translated, one sentence
    QList<Objective> kpis; ///< suggested measurable criteria, translated
};

namespace CommonGoals {
const QList<CommonGoal> &all();
const CommonGoal *find(QStringView key);
} // namespace CommonGoals
