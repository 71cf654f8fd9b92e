#include "reports/plandocument.h"

#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "exports/exportdialect.h"
#include "plan/planrepository.h"
#include "plan/planscoring.h"
#include "store/projectstore.h"

Result<PlanDocument> PlanDocument::load(ProjectStore &store, const PlatformCatalog &catalog)
{
    PlanDocument doc;
    doc.projectName = store.name();
    doc.owner = store.value(QStringLiteral("plan.owner")).toString();
    doc.date = QDate::currentDate();

    AssessmentRepository assessment(store.database());
    if (std::optional<StoredAssessment> stored = assessment.load()) {
        doc.inventory = stored->inventory;
        doc.assessedAt = stored->assessedAt;
    }
    doc.assets = assessment.assetCounts();
    doc.sourceName = doc.inventory && doc.inventory->dialect != ExportDialect::Generic
        ? ExportDialects::displayName(doc.inventory->dialect)
        : tr("Current platform");

    doc.choice.platformId = store.value(QStringLiteral("choice.platform")).toString();
    doc.choice.reasons = store.value(QStringLiteral("choice.reasons")).toString();
    doc.choice.decidedAt = QDateTime::fromString(store.value(QStringLiteral("choice.decidedAt")).toString(), Qt::ISODate);
    const Platform *target = catalog.find(doc.choice.platformId);
    doc.targetName = target ? target->name : QString();

    PlanRepository plan(store.database());
    doc.objectives = plan.objectives();
    doc.people = plan.people();
    const PlanScoring scoring = PlanScoring::evaluate(&catalog, doc.inventory ? &*doc.inventory : nullptr, doc.assets,
                                                      doc.objectives, plan.weights());
    doc.criteria = scoring.criteria;
    doc.ranking = scoring.ranking;
    if (doc.inventory)
        doc.risks = RiskAssessment::evaluate(*doc.inventory, doc.assets, target);

    doc.timeline.start = QDate::fromString(store.value(QStringLiteral("plan.start")).toString(), Qt::ISODate);
    if (!doc.timeline.start.isValid())
        doc.timeline.start = WorkingDays::onOrAfter(QDate::currentDate().addDays(1));
    doc.timeline.stages = plan.stages();
    doc.timeline.schedule();
    doc.checklist = Checklist::resolve(plan.checklist(), doc.timeline);
    if (Result<QList<ReviewRecord>> reviews = ReviewStore(store.database()).reviews())
        doc.reviews = std::move(reviews).value();
    return doc;
}
