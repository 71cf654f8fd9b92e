#pragma once

#include "assessment/asset.h"
#include "assessment/inventory.h"
#include "assessment/risks.h"
#include "core/result.h"
#include "integrity/reviewstore.h"
#include "plan/checklist.h"
#include "plan/objective.h"
#include "plan/platformchoice.h"
#include "plan/timeline.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

class PlatformCatalog;
class ProjectStore;

/** Everything the migration plan shows, gathered from a project: the input of the plan PDF and the exports. */
struct PlanDocument
{
    Q_DECLARE_TR_FUNCTIONS(PlanDocument)

public:
    QString projectName;
    QString owner;            ///< the migration owner (a person's name), may be empty
    QDate date;               ///< the date the document is produced
    QString sourceName;       ///< "Mailchimp"
    QString targetName;       ///< "Brevo"; empty when not chosen

    QList<Objective> objectives;

    std::optional<Inventory> inventory; ///< empty when nothing was assessed
    QDateTime assessedAt;
    QMap<AssetKind, int> assets;        ///< hand-entered templates, campaigns ...
    QList<Risk> risks;                  ///< with their actions (the mitigations)

    QList<Criterion> criteria;          ///< with the weights used
    QList<PlatformScore> ranking;       ///< best first
    PlatformChoice choice;

    Timeline timeline;                  ///< scheduled
    QList<Person> people;
    QList<ResolvedChecklistItem> checklist;
    /// The integrity reviews of the transfer's stages, oldest first (the status part).
    QList<ReviewRecord> reviews;

    /// Reads a project (store open) into a document dated today.
    static Result<PlanDocument> load(ProjectStore &store, const PlatformCatalog &catalog);
};
