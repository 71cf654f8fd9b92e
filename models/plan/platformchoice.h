#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

/** A requirement the target must meet, weighted 0 (ignore) .. 5 (essential). */
struct Criterion
{
    QString key;       ///< "customFields", "tags", "doubleOptInControl", ...
    QString title;     ///< translated
    int weight = 3;
    QString why;       ///< where the requirement comes from (assessment figures, an objective), translated
    qint64 needed = 0; ///< the figure the rule compares against (fields, tags, contacts ...); 0 when none
};

/** How well one platform meets one criterion. */
struct CriterionScore
{
    QString key;
    double score = 0;   ///< 0 .. 1
    QString explanation;///< the fact behind the score, translated
    QString source;     ///< the catalog fact's source
    QString checked;    ///< the date the fact was checked
};

/** One candidate's weighted score. */
struct PlatformScore
{
    QString platformId;
    QString name;
    double total = 0;          ///< 0 .. 100: sum(weight * score) / sum(weight) * 100
    QList<CriterionScore> scores; ///< in criteria order
    QStringList blockers;      ///< essential criteria (weight 5) it fails (score 0), translated
};

/** The user's decision. */
struct PlatformChoice
{
    QString platformId;  ///< empty: not decided
    QString reasons;     ///< in the user's words
    QDateTime decidedAt;
};
