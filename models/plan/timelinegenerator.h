#pragma once

#include "assessment/asset.h"
#include "plan/timeline.h"

#include <QCoreApplication>
#include <QMap>

struct Inventory;

/** One wave of the data transfer: how many contacts, and why that many. */
struct WavePlan
{
    int number = 0;       ///< 0 is the suppressions wave
    qint64 contacts = 0;
    QString basis;        ///< translated: what the size comes from
};

/**
 * Generates the stages of a migration from an assessment: durations from the contact count and
 * the hand-entered assets, the number and size of the waves from the subscriber count and their
 * engagement, dependencies, milestones, default owners (roles) and entry/exit criteria.
 */
class TimelineGenerator
{
    Q_DECLARE_TR_FUNCTIONS(TimelineGenerator)

public:
    /// Waves below this many subscribers are not split.
    static constexpr qint64 kSingleWaveLimit = 2000;
    /// The first wave's size is the engaged contacts, kept within these bounds.
    static constexpr qint64 kFirstWaveMin = 500;
    static constexpr qint64 kFirstWaveMax = 5000;
    /// Each wave doubles the one before (warming the new sender's reputation), up to this size.
    static constexpr qint64 kWaveMax = 250000;

    /// Wave 0 (every suppression) and the subscriber waves, most engaged first. With no
    /// inventory there is wave 0 and one subscriber wave of unknown size.
    static QList<WavePlan> planWaves(const Inventory *inventory);

    /// The timeline, scheduled from start (moved to a working day).
    static Timeline generate(const Inventory *inventory, const QMap<AssetKind, int> &assets, const QDate &start);

    /// Contacts that the engagement figures call engaged (4-5 stars, or active in the last 90 days); -1 when unknown.
    static qint64 engagedContacts(const Inventory &inventory);
};
