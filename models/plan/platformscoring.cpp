#include "plan/platformscoring.h"

#include "assessment/inventory.h"
#include "catalog/platformcatalog.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace {

QString num(qint64 n)
{
    return QLocale().toString(n);
}
QString num(double d)
{
    return QLocale().toString(d, 'g', 6);
}

// Audiences from this size on make import size and request rate matter more.
constexpr qint64 kLargeAudience = 100'000;
constexpr qint64 kVeryLargeAudience = 1'000'000;

struct Goals
{
    bool deliverability = false;
    bool analytics = false;
    bool integration = false;
    bool cost = false;
};

Goals goalsOf(const QList<Objective> &objectives)
{
    Goals g;
    for (const Objective &o : objectives) {
        g.deliverability |= o.goal == u"deliverability";
        g.analytics |= o.goal == u"analytics";
        g.integration |= o.goal == u"integration";
        g.cost |= o.goal == u"cost";
    }
    return g;
}

Criterion make(QStringView key, const QString &title, int weight, const QString &why,
               qint64 needed = 0)
{
    Criterion c;
    c.key = key.toString();
    c.title = title;
    c.weight = std::clamp(weight, 0, 5);
    c.why = why;
    c.needed = needed;
    return c;
}

QString sentence(const QString &a, const QString &b)
{
    return b.isEmpty() ? a : a.isEmpty() ? b : a + u' ' + b;
}

/// Custom fields holding values whose type is not text (every platform holds text and tags).
QList<InventoryField> typedFields(const Inventory *inventory)
{
    QList<InventoryField> fields;
    if (!inventory)
        return fields;
    for (const InventoryField &f : inventory->fields) {
        if (f.custom && f.filled > 0 && f.type != FieldType::Text && f.type != FieldType::Tags)
            fields.append(f);
    }
    return fields;
}

/// Average bytes per contact in the export files, 0 when unknown.
double bytesPerContact(const Inventory *inventory)
{
    if (!inventory)
        return 0;
    qint64 bytes = 0, rows = 0;
    for (const InventorySource &s : inventory->sources) {
        bytes += s.bytes;
        rows += s.rows;
    }
    return bytes > 0 && rows > 0 ? double(bytes) / double(rows) : 0;
}

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// Contacts one bulk request can carry: the record cap, or the byte cap divided by the export's
/// average record size, whichever is smaller. nullopt when neither is known.
std::optional<double> importSize(const Platform &p, double bytesPerContact)
{
    std::optional<double> size;
    const auto cap = [&](double v) {
        size = size ? std::min(*size, v) : v;
    };
    if (p.bulkImportRecords.unlimited)
        cap(kUnlimited);
    else if (p.bulkImportRecords.value)
        cap(*p.bulkImportRecords.value);
    if (p.bulkImportBytes.unlimited)
        cap(kUnlimited);
    else if (p.bulkImportBytes.value && bytesPerContact > 0)
        cap(std::floor(double(*p.bulkImportBytes.value) / bytesPerContact));
    return size;
}

std::optional<double> rate(const Platform &p)
{
    if (p.apiRateLimit.unlimited)
        return kUnlimited;
    if (p.apiRateLimit.value)
        return *p.apiRateLimit.value;
    return std::nullopt;
}

/// The largest finite value among the candidates (unlimited ones score 1 on their own).
template<typename F>
std::optional<double> bestFinite(const QList<const Platform *> &candidates, F value)
{
    std::optional<double> best;
    for (const Platform *p : candidates) {
        if (const auto v = value(*p); v && std::isfinite(*v))
            best = best ? std::max(*best, *v) : *v;
    }
    return best;
}

struct Context
{
    const Inventory *inventory = nullptr;
    QMap<AssetKind, int> assets;
    const Platform *source = nullptr;
    double bytesPerContact = 0;
    std::optional<double> bestImport; ///< largest finite import size among the candidates
    std::optional<double> bestRate;   ///< largest finite rate among the candidates
};

struct Sources
{
    QStringList sources;
    QString checked;

    template<typename T>
    void add(const PlatformFact<T> &f)
    {
        if (!f.source.isEmpty() && !sources.contains(f.source))
            sources.append(f.source);
        // The oldest check date: the combined fact is no fresher than its oldest part.
        if (!f.checked.isEmpty() && (checked.isEmpty() || f.checked < checked))
            checked = f.checked;
    }
};

CriterionScore scored(const Criterion &c, double score, const QString &explanation,
                      const Sources &s)
{
    return CriterionScore{c.key, std::clamp(score, 0.0, 1.0), explanation,
                          s.sources.join(QStringLiteral("; ")), s.checked};
}

template<typename T>
CriterionScore scored(const Criterion &c, double score, const QString &rule,
                      const PlatformFact<T> &f)
{
    Sources s;
    s.add(f);
    return scored(c, score, sentence(rule, f.note), s);
}

template<typename T>
CriterionScore notDocumented(const Criterion &c, const PlatformFact<T> &f)
{
    Sources s;
    s.add(f);
    return scored(c, 0.5,
                  f.note.isEmpty() ? PlatformScoring::tr("Not documented in the catalog.")
                                   : PlatformScoring::tr("Not documented: %1").arg(f.note),
                  s);
}

/// A yes/no fact: yes 1, no 0, not documented 0.5.
CriterionScore yesNo(const Criterion &c, const PlatformFact<bool> &f, const QString &yes,
                     const QString &no)
{
    if (!f.value)
        return notDocumented(c, f);
    return scored(c, *f.value ? 1.0 : 0.0, *f.value ? yes : no, f);
}

// Custom fields: 1 when unlimited or the limit covers the fields needed, else limit / needed.
CriterionScore customFields(const Criterion &c, const Platform &p)
{
    const PlatformFact<int> &f = p.customFieldLimit;
    if (f.unlimited)
        return scored(c, 1, PlatformScoring::tr("No limit on custom fields."), f);
    if (!f.value)
        return notDocumented(c, f);
    const qint64 limit = *f.value;
    if (c.needed <= 0 || limit >= c.needed)
        return scored(c, 1,
                      PlatformScoring::tr("Holds %1 custom fields; %2 needed.")
                          .arg(num(limit), num(c.needed)),
                      f);
    return scored(c, double(limit) / double(c.needed),
                  PlatformScoring::tr("Holds %1 of the %2 custom fields needed.")
                      .arg(num(limit), num(c.needed)),
                  f);
}

// Field types: the share of typed fields (not text) whose type the platform holds natively.
CriterionScore nativeFieldTypes(const Criterion &c, const Platform &p, const Context &ctx)
{
    const PlatformFact<QList<FieldType>> &f = p.fieldTypes;
    if (!f.value)
        return notDocumented(c, f);
    const QList<InventoryField> fields = typedFields(ctx.inventory);
    if (fields.isEmpty())
        return scored(c, 1, PlatformScoring::tr("No field needs a type other than text."), f);
    QStringList missing;
    for (const InventoryField &field : fields) {
        if (!f.value->contains(field.type))
            missing.append(PlatformScoring::tr("%1 (%2)").arg(
                field.name, FieldTypes::displayName(field.type).toLower()));
    }
    const qsizetype held = fields.size() - missing.size();
    const QString rule
        = missing.isEmpty()
              ? PlatformScoring::tr("Holds all %1 typed fields natively.").arg(fields.size())
              : PlatformScoring::tr("Holds %1 of the %2 typed fields natively; not %3.")
                    .arg(QString::number(held), QString::number(fields.size()),
                         missing.join(QStringLiteral(", ")));
    return scored(c, double(held) / double(fields.size()), rule, f);
}

// Tags: 1 when contacts carry tags; 0.5 when they become lists (room unknown or enough);
// 0 when there are more tags than the documented list limit.
CriterionScore tags(const Criterion &c, const Platform &p)
{
    if (!p.contactTags.value)
        return notDocumented(c, p.contactTags);
    if (*p.contactTags.value)
        return scored(c, 1, PlatformScoring::tr("Contacts carry tags."), p.contactTags);
    Sources s;
    s.add(p.contactTags);
    const PlatformFact<int> &lists = p.listLimit;
    if (lists.value && *lists.value < c.needed) {
        s.add(lists);
        return scored(c, 0,
                      sentence(PlatformScoring::tr(
                                   "No tags on contacts, and %1 tags do not fit in its %2 lists.")
                                   .arg(num(c.needed), num(qint64(*lists.value))),
                               p.contactTags.note),
                      s);
    }
    if (lists.known())
        s.add(lists);
    return scored(
        c, 0.5,
        sentence(PlatformScoring::tr("No tags on contacts: the %1 tags become lists or a property.")
                     .arg(num(c.needed)),
                 p.contactTags.note),
        s);
}

// Bulk import: contacts per request relative to the most any candidate takes, capped at the
// audience (one request for everyone scores 1); unlimited scores 1.
CriterionScore bulkImport(const Criterion &c, const Platform &p, const Context &ctx)
{
    Sources s;
    s.add(p.bulkImportRecords);
    s.add(p.bulkImportBytes);
    const std::optional<double> size = importSize(p, ctx.bytesPerContact);
    if (!size) {
        const QString note = sentence(p.bulkImportRecords.note, p.bulkImportBytes.note);
        return scored(c, 0.5,
                      note.isEmpty() ? PlatformScoring::tr("Not documented in the catalog.")
                                     : PlatformScoring::tr("Not documented: %1").arg(note),
                      s);
    }
    if (!std::isfinite(*size))
        return scored(c, 1, PlatformScoring::tr("No limit on the contacts per request."), s);
    const bool byBytes = !p.bulkImportRecords.value || *size < *p.bulkImportRecords.value;
    QString rule = byBytes
                       ? PlatformScoring::tr("About %1 contacts per request (%2 bytes, at this "
                                             "export's %3 bytes a contact).")
                             .arg(num(qint64(*size)), num(*p.bulkImportBytes.value),
                                  num(qint64(std::ceil(ctx.bytesPerContact))))
                       : PlatformScoring::tr("%1 contacts per request.").arg(num(qint64(*size)));
    if (c.needed > 0 && *size > 0) {
        const qint64 requests = qint64(std::ceil(double(c.needed) / *size));
        rule = sentence(rule,
                        requests == 1
                            ? PlatformScoring::tr("One request for %1 contacts.").arg(num(c.needed))
                            : PlatformScoring::tr("%1 requests for %2 contacts.")
                                  .arg(num(requests), num(c.needed)));
    }
    const double best = ctx.bestImport.value_or(*size);
    const double target = c.needed > 0 ? std::min(best, double(c.needed)) : best;
    if (best > *size && target > *size)
        rule = sentence(rule,
                        PlatformScoring::tr("The best candidate takes %1.").arg(num(qint64(best))));
    return scored(c, target > 0 ? *size / target : 0, rule, s);
}

// API rate limit: requests per second relative to the best candidate (unlimited: 1).
CriterionScore apiRateLimit(const Criterion &c, const Platform &p, const Context &ctx)
{
    const PlatformFact<double> &f = p.apiRateLimit;
    const std::optional<double> r = rate(p);
    if (!r)
        return notDocumented(c, f);
    if (!std::isfinite(*r))
        return scored(c, 1, PlatformScoring::tr("No rate limit."), f);
    const double best = ctx.bestRate.value_or(*r);
    QString rule = PlatformScoring::tr("%1 requests a second.").arg(num(*r));
    if (best > *r)
        rule = sentence(rule, PlatformScoring::tr("The best candidate allows %1.").arg(num(best)));
    return scored(c, best > 0 ? *r / best : 0, rule, f);
}

// Template language: 1 in the source's family (merge tags carry over), 0.5 otherwise.
CriterionScore templateLanguage(const Criterion &c, const Platform &p, const Context &ctx)
{
    const PlatformFact<QString> &f = p.templateLanguage;
    if (!f.value)
        return notDocumented(c, f);
    const QString sourceFamily = ctx.source ? ctx.source->templateFamily() : QString();
    if (sourceFamily.isEmpty())
        return scored(c, 0.5,
                      PlatformScoring::tr("Uses %1. The source's template language is not known.")
                          .arg(*f.value),
                      f);
    if (p.templateFamily().compare(sourceFamily, Qt::CaseInsensitive) == 0)
        return scored(c, 1,
                      PlatformScoring::tr("Uses %1, like %2: the merge tags carry over.")
                          .arg(*f.value, ctx.source->name),
                      f);
    return scored(c, 0.5,
                  PlatformScoring::tr("Uses %1. The merge tags of %2 are rewritten.")
                      .arg(*f.value, ctx.source->name),
                  f);
}

CriterionScore scoreOne(const Criterion &c, const Platform &p, const Context &ctx)
{
    using namespace CriterionKeys;
    if (c.key == CustomFields)
        return customFields(c, p);
    if (c.key == NativeFieldTypes)
        return nativeFieldTypes(c, p, ctx);
    if (c.key == Tags)
        return tags(c, p);
    if (c.key == DoubleOptInControl)
        return yesNo(
            c, p.doubleOptInControl,
            PlatformScoring::tr("Contacts can be written as subscribed without an opt-in mail."),
            PlatformScoring::tr(
                "Contacts written by an import or the API get a double opt-in mail."));
    if (c.key == ConsentEvidence)
        return yesNo(c, p.consentEvidence, PlatformScoring::tr("Holds the opt-in time natively."),
                     PlatformScoring::tr(
                         "Holds no opt-in time or IP natively: they travel as custom fields."));
    if (c.key == DomainAuthentication)
        return yesNo(c, p.domainAuthentication,
                     PlatformScoring::tr("Signs mail with your own domain (DKIM)."),
                     PlatformScoring::tr("Cannot sign mail with your own domain."));
    if (c.key == Automations) {
        const int n = ctx.assets.value(AssetKind::Automation);
        return yesNo(
            c, p.automations,
            n == 0 ? PlatformScoring::tr("Has automations.")
            : n == 1
                ? PlatformScoring::tr("Has automations; the one listed is rebuilt by hand.")
                : PlatformScoring::tr("Has automations; the %1 listed are rebuilt by hand.").arg(n),
            PlatformScoring::tr("Has no automations."));
    }
    if (c.key == BulkImport)
        return bulkImport(c, p, ctx);
    if (c.key == ApiRateLimit)
        return apiRateLimit(c, p, ctx);
    if (c.key == TemplateLanguage)
        return templateLanguage(c, p, ctx);
    if (c.key == Pricing)
        return CriterionScore{
            c.key, 0.5, PlatformScoring::tr("Prices are not in the catalog."), {}, {}};
    return CriterionScore{
        c.key, 0.5, PlatformScoring::tr("Not in the catalog: compare this yourself."), {}, {}};
}

} // namespace

QList<Criterion> PlatformScoring::criteria(const Inventory *inventory,
                                           const QMap<AssetKind, int> &assets,
                                           const QList<Objective> &objectives)
{
    using namespace CriterionKeys;
    const Goals goals = goalsOf(objectives);
    const QString notAssessed = tr("Not assessed yet: assess the exports to weigh this.");
    const QString forDeliverability
        = tr("Improved deliverability is an objective, so this weighs more.");
    QList<Criterion> list;

    // Custom fields: the fields to carry over; with an analytics objective, the engagement
    // figures (member rating, last change) need fields of their own.
    if (!inventory) {
        list.append(make(CustomFields, tr("Custom fields"), 0, notAssessed));
    } else {
        qint64 needed = inventory->customFieldCount();
        QString why = needed == 0 ? tr("The export has no custom fields.")
                      : needed == 1
                          ? tr("The export has 1 custom field to carry over.")
                          : tr("The export has %1 custom fields to carry over.").arg(num(needed));
        const int engagement = (inventory->engagement.ratingAvailable ? 1 : 0)
                               + (inventory->engagement.lastChangedAvailable ? 1 : 0);
        if (goals.analytics && engagement > 0) {
            needed += engagement;
            why = sentence(
                why,
                engagement == 1
                    ? tr("Better analytics is an objective: the engagement figure (member rating "
                         "or last change) needs 1 more field.")
                    : tr("Better analytics is an objective: the engagement figures (member rating, "
                         "last change) need %1 more fields.")
                          .arg(engagement));
        }
        list.append(make(CustomFields, tr("Custom fields"), needed > 0 ? 4 : 0, why, needed));
    }

    // Field types: fields holding dates, numbers, phones ... lose their type where not native.
    if (!inventory) {
        list.append(make(NativeFieldTypes, tr("Native field types"), 0, notAssessed));
    } else if (const QList<InventoryField> typed = typedFields(inventory); typed.isEmpty()) {
        list.append(make(NativeFieldTypes, tr("Native field types"), 0,
                         tr("All custom fields in use hold text.")));
    } else {
        QStringList names;
        for (const InventoryField &f : typed)
            names.append(tr("%1 (%2)").arg(f.name, FieldTypes::displayName(f.type).toLower()));
        list.append(make(NativeFieldTypes, tr("Native field types"), 2,
                         (typed.size() == 1
                              ? tr("1 field holds values other than text: %1.")
                              : tr("%1 fields hold values other than text: %2.").arg(typed.size()))
                             .arg(names.join(QStringLiteral(", "))),
                         typed.size()));
    }

    // Tags in use.
    if (!inventory) {
        list.append(make(Tags, tr("Tags"), 0, notAssessed));
    } else if (inventory->tags.isEmpty()) {
        list.append(make(Tags, tr("Tags"), 0, tr("No tags are in use.")));
    } else {
        list.append(make(Tags, tr("Tags"), 3,
                         inventory->tags.size() == 1
                             ? tr("1 tag is in use.")
                             : tr("%1 tags are in use.").arg(inventory->tags.size()),
                         inventory->tags.size()));
    }

    // Double opt-in control: subscribers must not be asked to confirm again, and suppressions
    // are written without any mail. Deliverability raises it to essential.
    {
        int weight = 4;
        QString why;
        if (!inventory) {
            why = tr("Existing subscribers must arrive without being asked to confirm again.");
        } else {
            const qint64 subscribed = inventory->count(ContactStatus::Subscribed);
            const qint64 suppressions = inventory->suppressions();
            if (subscribed + suppressions == 0) {
                weight = 1;
                why = tr("The export has no subscribed contacts or suppressions.");
            } else {
                why = tr("%1 subscribed contacts and %2 suppressions must be written without an "
                         "opt-in mail.")
                          .arg(num(subscribed), num(suppressions));
            }
        }
        if (goals.deliverability) {
            ++weight;
            why = sentence(why, forDeliverability);
        }
        list.append(make(DoubleOptInControl, tr("Import without double opt-in"), weight, why));
    }

    // Consent evidence: worth keeping natively when the export carries it.
    {
        int weight = 2;
        QString why = tr("Not assessed yet; opt-in evidence is worth keeping in any case.");
        if (inventory && inventory->consent.available) {
            weight = 3;
            why = tr("%1 of %2 subscribed contacts have an opt-in or confirmation time to keep as "
                     "evidence of consent.")
                      .arg(num(inventory->consent.subscribedWithEvidence),
                           num(inventory->consent.subscribed));
        } else if (inventory) {
            weight = 1;
            why = tr("The export has no opt-in evidence to carry over.");
        }
        if (goals.deliverability) {
            ++weight;
            why = sentence(why, forDeliverability);
        }
        list.append(make(ConsentEvidence, tr("Consent evidence"), weight, why));
    }

    // Domain authentication: every target sends from an authenticated domain.
    {
        const int domains = assets.value(AssetKind::SendingDomain);
        int weight = domains > 0 ? 3 : 2;
        QString why
            = domains > 0
                  ? (domains == 1
                         ? tr("1 sending domain to authenticate on the target.")
                         : tr("%1 sending domains to authenticate on the target.").arg(domains))
                  : tr("No sending domain is listed yet; mail from the target still needs one "
                       "authenticated (SPF, DKIM, DMARC).");
        if (goals.deliverability) {
            ++weight;
            why = sentence(why, forDeliverability);
        }
        list.append(make(DomainAuthentication, tr("Domain authentication"), weight, why, domains));
    }

    // Bulk import size: matters with the audience size.
    const qint64 contacts = inventory ? inventory->total : 0;
    if (!inventory) {
        list.append(make(BulkImport, tr("Bulk import size"), 0, notAssessed));
    } else if (contacts == 0) {
        list.append(make(BulkImport, tr("Bulk import size"), 0, tr("The export has no contacts.")));
    } else {
        const int weight = contacts >= kVeryLargeAudience ? 3 : contacts >= kLargeAudience ? 2 : 1;
        list.append(make(BulkImport, tr("Bulk import size"), weight,
                         tr("%1 contacts to import: the contacts per request decide how many "
                            "requests that takes.")
                             .arg(num(contacts)),
                         contacts));
    }

    // API rate limit: 1, +1 for a large audience, +1 when integrations are listed, +2 with an
    // integration objective (keeping a CRM in step is all API calls).
    {
        const int integrations = assets.value(AssetKind::Integration);
        int weight = 1;
        QString why = tr("Requests per second bound how fast contacts move.");
        if (contacts >= kLargeAudience) {
            ++weight;
            why = sentence(why, tr("%1 contacts is a large audience.").arg(num(contacts)));
        }
        if (integrations > 0) {
            ++weight;
            why = sentence(
                why, integrations == 1
                         ? tr("1 integration will call the target's API.")
                         : tr("%1 integrations will call the target's API.").arg(integrations));
        }
        if (goals.integration) {
            weight += 2;
            why = sentence(why, tr("CRM integration is an objective: the sync runs on the API."));
        }
        list.append(make(ApiRateLimit, tr("API rate limit"), weight, why));
    }

    // Automations and templates entered by hand.
    if (const int n = assets.value(AssetKind::Automation)) {
        list.append(make(Automations, tr("Automations"), 3,
                         n == 1 ? tr("1 automation to rebuild on the target.")
                                : tr("%1 automations to rebuild on the target.").arg(n),
                         n));
    } else {
        list.append(make(Automations, tr("Automations"), 0, tr("No automations are listed.")));
    }
    if (const int n = assets.value(AssetKind::Template)) {
        list.append(make(
            TemplateLanguage, tr("Template language"), 2,
            n == 1 ? tr("1 template to move: its merge tags are rewritten unless the target uses "
                        "the source's template language.")
                   : tr("%1 templates to move: their merge tags are rewritten unless the target "
                        "uses the source's template language.")
                         .arg(n),
            n));
    } else {
        list.append(
            make(TemplateLanguage, tr("Template language"), 0, tr("No templates are listed.")));
    }

    // Cost: the catalog holds no prices (they depend on plan and audience); the criterion is
    // listed, unweighted, so the matrix says so and the user can weigh it after comparing offers.
    if (goals.cost) {
        list.append(make(
            Pricing, tr("Price"), 0,
            inventory
                ? tr("Lower cost is an objective, but the catalog holds no prices: compare the "
                     "offers for %1 contacts and weigh this yourself.")
                      .arg(num(contacts))
                : tr("Lower cost is an objective, but the catalog holds no prices: compare the "
                     "offers and weigh this yourself.")));
    }
    return list;
}

QList<PlatformScore> PlatformScoring::rank(const PlatformCatalog &catalog,
                                           const QList<Criterion> &criteria,
                                           const Inventory *inventory,
                                           const QMap<AssetKind, int> &assets,
                                           QStringView sourcePlatformId)
{
    QList<const Platform *> candidates;
    for (const Platform &p : catalog.platforms()) {
        if (sourcePlatformId.isEmpty() || p.id != sourcePlatformId)
            candidates.append(&p);
    }
    Context ctx;
    ctx.inventory = inventory;
    ctx.assets = assets;
    ctx.source = sourcePlatformId.isEmpty() ? nullptr : catalog.find(sourcePlatformId);
    ctx.bytesPerContact = bytesPerContact(inventory);
    ctx.bestImport = bestFinite(
        candidates, [&](const Platform &p) { return importSize(p, ctx.bytesPerContact); });
    ctx.bestRate = bestFinite(candidates, rate);

    QList<PlatformScore> ranking;
    for (const Platform *p : candidates) {
        PlatformScore ps;
        ps.platformId = p->id;
        ps.name = p->name;
        for (const Criterion &c : criteria) {
            const CriterionScore s = scoreOne(c, *p, ctx);
            if (c.weight >= 5 && s.score <= 0)
                ps.blockers.append(tr("%1: %2").arg(c.title, s.explanation));
            ps.scores.append(s);
        }
        ps.total = total(criteria, ps.scores);
        ranking.append(ps);
    }
    std::stable_sort(ranking.begin(), ranking.end(),
                     [](const PlatformScore &a, const PlatformScore &b) {
                         if (std::abs(a.total - b.total) > 1e-9)
                             return a.total > b.total;
                         if (const int byName = a.name.compare(b.name, Qt::CaseInsensitive))
                             return byName < 0;
                         return a.platformId < b.platformId;
                     });
    return ranking;
}

double PlatformScoring::total(const QList<Criterion> &criteria, const QList<CriterionScore> &scores)
{
    double weighted = 0, weights = 0;
    for (qsizetype i = 0; i < criteria.size() && i < scores.size(); ++i) {
        if (criteria[i].weight <= 0)
            continue;
        weights += criteria[i].weight;
        weighted += criteria[i].weight * scores[i].score;
    }
    return weights > 0 ? weighted / weights * 100 : 0;
}
