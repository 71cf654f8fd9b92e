#include "plan/planscoring.h"

#include "assessment/inventory.h"
#include "exports/exportdialect.h"
#include "plan/platformscoring.h"

PlanScoring PlanScoring::evaluate(const PlatformCatalog *catalog, const Inventory *inventory, const QMap<AssetKind, int> &assets,
                                  const QList<Objective> &objectives, const QMap<QString, int> &weights)
{
    PlanScoring out;
    out.criteria = PlatformScoring::criteria(inventory, assets, objectives);
    for (Criterion &c : out.criteria) {
        const auto it = weights.constFind(c.key);
        if (it != weights.constEnd())
            c.weight = *it;
    }
    // The platform the contacts come from is not a candidate.
    const QString source = inventory && inventory->dialect != ExportDialect::Generic ? ExportDialects::key(inventory->dialect) : QString();
    if (catalog)
        out.ranking = PlatformScoring::rank(*catalog, out.criteria, inventory, assets, source);
    return out;
}
