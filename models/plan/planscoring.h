#pragma once

#include "assessment/asset.h"
#include "plan/objective.h"
#include "plan/platformchoice.h"

#include <QMap>

class PlatformCatalog;
struct Inventory;

/** The scoring as a project sees it: the criteria from its assessment and objectives, with the weights the user set. */
struct PlanScoring
{
    QList<Criterion> criteria;
    QList<PlatformScore> ranking;

    static PlanScoring evaluate(const PlatformCatalog *catalog, const Inventory *inventory, const QMap<AssetKind, int> &assets,
                                const QList<Objective> &objectives, const QMap<QString, int> &weights);
};
