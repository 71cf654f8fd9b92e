#pragma once

#include "assessment/asset.h"
#include "plan/objective.h"
#include "plan/platformchoice.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QStringView>

class PlatformCatalog;
struct Inventory;

/** The criteria the scoring knows (Criterion::key). Any other key scores 0.5, "not in the catalog".
 */
namespace CriterionKeys {
inline constexpr QStringView CustomFields = u"customFields";
inline constexpr QStringView NativeFieldTypes = u"fieldTypes";
inline constexpr QStringView Tags = u"tags";
inline constexpr QStringView DoubleOptInControl = u"doubleOptInControl";
inline constexpr QStringView ConsentEvidence = u"consentEvidence";
inline constexpr QStringView DomainAuthentication = u"domainAuthentication";
inline constexpr QStringView BulkImport = u"bulkImport";
inline constexpr QStringView ApiRateLimit = u"apiRateLimit";
inline constexpr QStringView Automations = u"automations";
inline constexpr QStringView TemplateLanguage = u"templateLanguage";
inline constexpr QStringView Pricing = u"pricing";
} // namespace CriterionKeys

/**
 * The weighted scoring matrix of the "Platform choice" step: requirements derived from the
 * assessment and the objectives, and the catalog's candidates ranked against them.
 *
 * Every rule scores 0 .. 1 from catalog facts, simple enough to say in one sentence (each rule is
 * documented where it is computed). A fact the catalog does not document scores 0.5. The total is
 * sum(weight * score) / sum(weight) * 100 over the criteria of weight > 0.
 */
class PlatformScoring
{
    Q_DECLARE_TR_FUNCTIONS(PlatformScoring)

public:
    /**
     * The requirements with default weights and a 'why' built from the figures: custom fields,
     * field types and tags in use, consent evidence columns, subscribed contacts and suppressions
     * (which must arrive without a double opt-in mail), the audience size (bulk import size and
     * rate limits), the assets entered by hand (templates, automations, integrations, sending
     * domains) and the objectives' goals (deliverability, analytics, integration, cost).
     * inventory may be null (not assessed yet): the criteria that need its figures get weight 0.
     */
    static QList<Criterion> criteria(const Inventory *inventory, const QMap<AssetKind, int> &assets,
                                     const QList<Objective> &objectives);

    /**
     * Scores every catalog platform except the source (sourcePlatformId, e.g. "mailchimp"; empty:
     * none excluded) against the criteria, best first (ties by name). Each CriterionScore explains
     * the fact and carries its source and check date. A score of 0 on a weight-5 criterion is a
     * blocker. inventory (may be null) gives the field types in use and the average record size.
     */
    static QList<PlatformScore> rank(const PlatformCatalog &catalog,
                                     const QList<Criterion> &criteria, const Inventory *inventory,
                                     const QMap<AssetKind, int> &assets,
                                     QStringView sourcePlatformId);

    /// sum(weight * score) / sum(weight) * 100 over the criteria of weight > 0; 0 when there is
    /// none.
    static double total(const QList<Criterion> &criteria, const QList<CriterionScore> &scores);
};
