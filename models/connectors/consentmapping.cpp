#include "connectors/consentmapping.h"

using namespace Qt::StringLiterals;

namespace {

// Custom fields for the evidence. Brevo and Klaviyo take the Mailchimp export's column names
// (esp-apis.md 1.9; Brevo attribute names are upper case, 2.3). Mailchimp holds opt-in and
// confirmation natively and gets short merge tags (merge tags are upper-case letters, digits and
// underscores, 1.5; kept to ten characters).
constexpr QStringView kOptinTime = u"OPTIN_TIME";
constexpr QStringView kOptinIp = u"OPTIN_IP";
constexpr QStringView kConfirmTime = u"CONFIRM_TIME";
constexpr QStringView kConfirmIp = u"CONFIRM_IP";
constexpr QStringView kSourceStatus = u"SOURCE_STATUS";
constexpr QStringView kSuppressionReason = u"SUPPRESSION_REASON";
constexpr QStringView kSuppressionTime = u"SUPPRESSION_TIME";
constexpr QStringView kMcSourceStatus = u"SRCSTATUS";
constexpr QStringView kMcSuppressionReason = u"SUPPREASON";
constexpr QStringView kMcSuppressionTime = u"SUPPTIME";

constexpr QStringView kMcSubscribed = u"subscribed";
constexpr QStringView kMcUnsubscribed = u"unsubscribed";
constexpr QStringView kMcCleaned = u"cleaned";
constexpr QStringView kMcPending = u"pending";
constexpr QStringView kMcTransactional = u"transactional";

// Keeps only evidence the source has: an empty value would clear the target's field (Klaviyo:
// "null clears a field, omission leaves it", esp-apis.md 3.4; Brevo emptyContactsAttributes, 2.4).
void addValue(QList<EvidenceValue> &out, QStringView name, const QDateTime &time)
{
    if (time.isValid())
        out.append({name.toString(), time.toUTC()});
}

void addValue(QList<EvidenceValue> &out, QStringView name, const QString &text)
{
    const QString t = text.trimmed();
    if (!t.isEmpty())
        out.append({name.toString(), t});
}

void addOptinEvidence(QList<EvidenceValue> &out, const ConsentEvidence &e)
{
    addValue(out, kOptinTime, e.optinTime);
    addValue(out, kOptinIp, e.optinIp);
    addValue(out, kConfirmTime, e.confirmTime);
    addValue(out, kConfirmIp, e.confirmIp);
}

ContactWrite mapMailchimp(ContactWrite w, const ConsentEvidence &e)
{
    // Opt-in evidence has native fields (esp-apis.md 1.4); OPTIN_* is the sign-up and CONFIRM_*
    // the confirmation (1.9).
    MailchimpWrite &m = w.mailchimp;
    if (e.optinTime.isValid())
        m.timestampSignup = e.optinTime.toUTC();
    m.ipSignup = e.optinIp.trimmed();
    if (e.confirmTime.isValid())
        m.timestampOpt = e.confirmTime.toUTC();
    m.ipOpt = e.confirmIp.trimmed();

    switch (w.source) {
    case ContactStatus::Subscribed:
        w.wave = WriteWave::Subscriber;
        m.status = kMcSubscribed.toString();
        break;
    case ContactStatus::Unsubscribed:
    case ContactStatus::Complained:
        // No complained status on write (Add_List_Members status enum): an abuse report stops
        // mail like an unsubscribe (1.6).
        w.wave = WriteWave::Suppression;
        m.status = kMcUnsubscribed.toString();
        if (w.source == ContactStatus::Complained)
            w.caveat = MappingCaveat::NoComplainedStatus;
        break;
    case ContactStatus::Cleaned:
        w.wave = WriteWave::Suppression;
        m.status = kMcCleaned.toString(); // writable per the status enum (1.3)
        break;
    case ContactStatus::Pending:
    case ContactStatus::Transactional:
    case ContactStatus::Unknown:
        // Never "pending": Mailchimp mails a confirmation request to pending members.
        w.wave = WriteWave::NonMarketable;
        m.status = kMcTransactional.toString();
        break;
    case ContactStatus::Archived:
        // Archived is read-only (only the members filter knows it) and archiving is a DELETE
        // (1.3): creating the member would add a non-subscribed contact that was not there.
        w.wave = WriteWave::Skip;
        w.caveat = MappingCaveat::NoArchivedStatus;
        w.mailchimp = {};
        return w;
    }
    m.updateExisting = w.wave == WriteWave::Suppression;
    addValue(w.attributes, kMcSourceStatus, ContactStatuses::key(w.source));
    addValue(w.attributes, kMcSuppressionReason, e.suppressionReason);
    addValue(w.attributes, kMcSuppressionTime, e.suppressionTime);
    return w;
}

/// Brevo and Klaviyo have no consent fields: the evidence and the source status go into custom
/// attributes / properties (4.1), values that are absent left out.
void addEvidenceAttributes(ContactWrite &w, const ConsentEvidence &e)
{
    addOptinEvidence(w.attributes, e);
    addValue(w.attributes, kSourceStatus, ContactStatuses::key(w.source));
    addValue(w.attributes, kSuppressionReason, e.suppressionReason);
    addValue(w.attributes, kSuppressionTime, e.suppressionTime);
}

ContactWrite mapBrevo(ContactWrite w, const ConsentEvidence &e)
{
    switch (w.source) {
    case ContactStatus::Subscribed:
        // esp-apis.md 4.1: in the list, not blocklisted.
        w.wave = WriteWave::Subscriber;
        w.brevo.marketingList = true;
        break;
    case ContactStatus::Unsubscribed:
    case ContactStatus::Cleaned:
    case ContactStatus::Complained:
        // 4.1 and 2.6: blocklisted; no API call records a bounce or a complaint, so the reason
        // goes into an attribute. The global block rather than listUnsubscribed, which only
        // exists where per-list unsubscription is turned on.
        w.wave = WriteWave::Suppression;
        w.brevo.emailBlacklisted = true;
        break;
    case ContactStatus::Pending:
    case ContactStatus::Transactional:
    case ContactStatus::Archived:
    case ContactStatus::Unknown:
        // 4.1: transactional and archived are "not imported to marketing lists". For pending 4.1
        // offers a double opt-in flow (forbidden: it mails) or the list (that would subscribe
        // them); kept as a contact outside the lists instead, with its evidence.
        w.wave = WriteWave::NonMarketable;
        break;
    }
    addEvidenceAttributes(w, e);
    return w;
}

ContactWrite mapKlaviyo(ContactWrite w, const ConsentEvidence &e)
{
    KlaviyoWrite &k = w.klaviyo;
    k.importProfile = true; // bulk_import_profiles sets no consent (3.4); it carries the properties
    switch (w.source) {
    case ContactStatus::Subscribed: {
        // 4.1: bulk_subscribe with historical_import=true and consented_at (3.4), which must be
        // given and in the past (K-spec bulk_subscribe_profiles).
        const QDateTime consentedAt = e.consentTime();
        if (consentedAt.isValid() && consentedAt < QDateTime::currentDateTimeUtc()) {
            w.wave = WriteWave::Subscriber;
            k.consent = KlaviyoWrite::Consent::Subscribe;
            k.historicalImport = true;
            k.consentedAt = consentedAt.toUTC();
            k.addToList = true;
        } else {
            w.wave = WriteWave::NonMarketable;
            w.caveat = MappingCaveat::NoConsentTime;
        }
        break;
    }
    case ContactStatus::Unsubscribed:
        // 4.1 and 3.6: a real UNSUBSCRIBE; without a list the unsubscribe is global.
        w.wave = WriteWave::Suppression;
        k.consent = KlaviyoWrite::Consent::Unsubscribe;
        break;
    case ContactStatus::Cleaned:
    case ContactStatus::Complained:
        // 4.1 and 3.6: HARD_BOUNCE and SPAM_COMPLAINT cannot be written; USER_SUPPRESSED plus
        // the original reason in a property.
        w.wave = WriteWave::Suppression;
        k.consent = KlaviyoWrite::Consent::Suppress;
        break;
    case ContactStatus::Pending:
    case ContactStatus::Transactional:
    case ContactStatus::Archived:
    case ContactStatus::Unknown:
        // 4.1: profile without consent. Pending stays out of the list too (4.1 adds it): Klaviyo
        // mails any unsuppressed profile on a list (K-spec EmailMarketing.
        // can_receive_email_marketing: "implicit consent") and list adds can start flows.
        w.wave = WriteWave::NonMarketable;
        break;
    }
    addEvidenceAttributes(w, e);
    return w;
}

// The status a SOURCE_STATUS value names, if it is of the given level.
std::optional<ContactStatus> refine(const QString &field, ConsentLevel level)
{
    const auto s = ContactStatuses::fromKey(field.trimmed().toLower());
    if (s && ConsentMapping::level(*s) == level)
        return s;
    return std::nullopt;
}

ContactStatus statusOnMailchimp(const TargetState &t)
{
    const auto s = ContactStatuses::fromKey(t.mailchimpStatus.trimmed().toLower());
    if (!s || *s == ContactStatus::Unknown || *s == ContactStatus::Complained)
        return ContactStatus::Unknown; // not a Mailchimp status word
    if (*s == ContactStatus::Unsubscribed)
        return refine(t.sourceStatusField, ConsentLevel::Suppressed).value_or(*s);
    if (*s == ContactStatus::Transactional)
        return refine(t.sourceStatusField, ConsentLevel::NotMarketable).value_or(*s);
    return *s;
}

ContactStatus statusOnBrevo(const TargetState &t)
{
    if (t.brevoEmailBlacklisted)
        return refine(t.sourceStatusField, ConsentLevel::Suppressed)
            .value_or(ContactStatus::Unsubscribed);
    if (t.brevoInMarketingList && t.brevoUnsubscribedFromList)
        return ContactStatus::Unsubscribed;
    if (t.brevoInMarketingList)
        return ContactStatus::Subscribed;
    return refine(t.sourceStatusField, ConsentLevel::NotMarketable)
        .value_or(ContactStatus::Transactional);
}

ContactStatus statusOnKlaviyo(const TargetState &t)
{
    // A suppression wins over any consent (K-spec bulk_suppress_profiles: "cannot receive email
    // marketing, independent of their consent status").
    if (!t.klaviyoSuppressions.isEmpty()) {
        if (const auto s = refine(t.sourceStatusField, ConsentLevel::Suppressed))
            return *s;
        if (t.klaviyoSuppressions.contains(u"SPAM_COMPLAINT"_s))
            return ContactStatus::Complained;
        if (t.klaviyoSuppressions.contains(u"HARD_BOUNCE"_s)
            || t.klaviyoSuppressions.contains(u"INVALID_EMAIL"_s))
            return ContactStatus::Cleaned;
        return ContactStatus::Unsubscribed; // UNSUBSCRIBE, USER_SUPPRESSED or a new reason
    }
    const QString consent = t.klaviyoConsent.trimmed().toUpper();
    if (consent == u"UNSUBSCRIBED"_s || t.klaviyoListSuppressed)
        return refine(t.sourceStatusField, ConsentLevel::Suppressed)
            .value_or(ContactStatus::Unsubscribed);
    if (consent == u"SUBSCRIBED"_s)
        return ContactStatus::Subscribed;
    if (consent == u"NEVER_SUBSCRIBED"_s)
        return refine(t.sourceStatusField, ConsentLevel::NotMarketable)
            .value_or(ContactStatus::Transactional);
    return ContactStatus::Unknown;
}

} // namespace

QDateTime ConsentEvidence::consentTime() const
{
    // esp-apis.md 4.1: consented_at = timestamp_opt (the confirmation, 1.9), else OPTIN_TIME.
    return confirmTime.isValid() ? confirmTime : optinTime;
}

bool ContactWrite::triggersDoubleOptIn() const
{
    if (wave == WriteWave::Skip)
        return false;
    switch (platform) {
    case TargetPlatform::Mailchimp: return mailchimp.status == kMcPending;
    case TargetPlatform::Brevo: return false; // only POST /contacts/doubleOptinConfirmation mails
    case TargetPlatform::Klaviyo:
        // Without historical_import a subscribe to a double opt-in list sends the request.
        return klaviyo.consent == KlaviyoWrite::Consent::Subscribe && !klaviyo.historicalImport;
    }
    return false;
}

bool ContactWrite::suppresses() const
{
    if (wave == WriteWave::Skip)
        return false;
    switch (platform) {
    case TargetPlatform::Mailchimp:
        return mailchimp.status == kMcUnsubscribed || mailchimp.status == kMcCleaned;
    case TargetPlatform::Brevo: return brevo.emailBlacklisted;
    case TargetPlatform::Klaviyo:
        return klaviyo.consent == KlaviyoWrite::Consent::Unsubscribe
            || klaviyo.consent == KlaviyoWrite::Consent::Suppress;
    }
    return false;
}

bool ContactWrite::grantsMarketing() const
{
    if (wave == WriteWave::Skip || suppresses())
        return false;
    switch (platform) {
    case TargetPlatform::Mailchimp:
        // A pending member is on its way to subscribed without the source's confirmation.
        return mailchimp.status == kMcSubscribed || mailchimp.status == kMcPending;
    case TargetPlatform::Brevo: return brevo.marketingList;
    case TargetPlatform::Klaviyo:
        // An unsuppressed profile on a list is mailed, consent or not.
        return klaviyo.consent == KlaviyoWrite::Consent::Subscribe || klaviyo.addToList;
    }
    return false;
}

ConsentLevel ContactWrite::level() const
{
    if (suppresses())
        return ConsentLevel::Suppressed;
    return grantsMarketing() ? ConsentLevel::Marketable : ConsentLevel::NotMarketable;
}

QVariant ContactWrite::attribute(QStringView name) const
{
    for (const EvidenceValue &v : attributes) {
        if (v.name == name)
            return v.value;
    }
    return {};
}

ConsentLevel ConsentMapping::level(ContactStatus status)
{
    switch (status) {
    case ContactStatus::Subscribed: return ConsentLevel::Marketable;
    case ContactStatus::Unsubscribed:
    case ContactStatus::Cleaned:
    case ContactStatus::Complained: return ConsentLevel::Suppressed;
    case ContactStatus::Pending:
    case ContactStatus::Transactional:
    case ContactStatus::Archived:
    case ContactStatus::Unknown: return ConsentLevel::NotMarketable;
    }
    return ConsentLevel::NotMarketable;
}

ContactWrite ConsentMapping::map(ContactStatus source, const ConsentEvidence &evidence,
                                 TargetPlatform target)
{
    ContactWrite w;
    w.platform = target;
    w.source = source;
    switch (target) {
    case TargetPlatform::Mailchimp: w = mapMailchimp(w, evidence); break;
    case TargetPlatform::Brevo: w = mapBrevo(w, evidence); break;
    case TargetPlatform::Klaviyo: w = mapKlaviyo(w, evidence); break;
    }
    if (w.wave == WriteWave::Skip) {
        w.attributes.clear();
        w.expectedOnTarget = std::nullopt;
    } else if (w.caveat == MappingCaveat::NoConsentTime) {
        w.expectedOnTarget = ContactStatus::Transactional; // never-subscribed profile
    } else {
        w.expectedOnTarget = source;
    }
    return w;
}

ContactStatus ConsentMapping::statusOnTarget(const TargetState &state)
{
    switch (state.platform) {
    case TargetPlatform::Mailchimp: return statusOnMailchimp(state);
    case TargetPlatform::Brevo: return statusOnBrevo(state);
    case TargetPlatform::Klaviyo: return statusOnKlaviyo(state);
    }
    return ContactStatus::Unknown;
}

bool ConsentMapping::isConsentViolation(ContactStatus source, ContactStatus onTarget)
{
    return level(onTarget) > level(source);
}

QList<EvidenceField> ConsentMapping::evidenceFields(TargetPlatform target)
{
    if (target == TargetPlatform::Mailchimp) {
        return {{kMcSourceStatus.toString(), FieldType::Text},
                {kMcSuppressionReason.toString(), FieldType::Text},
                {kMcSuppressionTime.toString(), FieldType::Date}};
    }
    return {{kOptinTime.toString(), FieldType::Date},
            {kOptinIp.toString(), FieldType::Text},
            {kConfirmTime.toString(), FieldType::Date},
            {kConfirmIp.toString(), FieldType::Text},
            {kSourceStatus.toString(), FieldType::Text},
            {kSuppressionReason.toString(), FieldType::Text},
            {kSuppressionTime.toString(), FieldType::Date}};
}

QString ConsentMapping::waveName(WriteWave wave)
{
    switch (wave) {
    case WriteWave::Suppression: return tr("Suppressions (first)");
    case WriteWave::NonMarketable: return tr("Contacts without marketing consent");
    case WriteWave::Subscriber: return tr("Subscribers");
    case WriteWave::Skip: return tr("Not written");
    }
    return {};
}

QString ConsentMapping::describe(const ContactWrite &w)
{
    switch (w.platform) {
    case TargetPlatform::Mailchimp:
        switch (w.wave) {
        case WriteWave::Subscriber:
            return tr("Added as subscribed; a member already in the audience keeps their status. "
                      "Sign-up and confirmation time and IP go into Mailchimp's own fields.");
        case WriteWave::Suppression:
            if (w.caveat == MappingCaveat::NoComplainedStatus)
                return tr("Written as unsubscribed, also over an existing member: Mailchimp has "
                          "no status for spam complaints. The merge field %1 keeps \"%2\".")
                    .arg(kMcSourceStatus, ContactStatuses::key(w.source));
            return tr("Written as %1, also over an existing member.").arg(w.mailchimp.status);
        case WriteWave::NonMarketable:
            return tr("Added as non-subscribed (transactional), never as pending, which would "
                      "send a confirmation mail.");
        case WriteWave::Skip:
            return tr("Left out: Mailchimp cannot create an archived member, and adding it "
                      "would create a contact the source no longer counts.");
        }
        break;
    case TargetPlatform::Brevo:
        switch (w.wave) {
        case WriteWave::Subscriber:
            return tr("Added to the marketing list, not blocklisted. Opt-in time and IP go into "
                      "custom attributes.");
        case WriteWave::Suppression:
            return tr("Blocklisted (emailBlacklisted) and kept out of the marketing list, before "
                      "any subscriber is written. The attribute %1 keeps \"%2\".")
                .arg(kSourceStatus, ContactStatuses::key(w.source));
        case WriteWave::NonMarketable:
            return tr("Kept as a contact outside the marketing list and not blocklisted; no "
                      "double opt-in mail is sent.");
        case WriteWave::Skip: break;
        }
        break;
    case TargetPlatform::Klaviyo:
        switch (w.wave) {
        case WriteWave::Subscriber:
            return tr("Profile imported, then subscribed as a historical import with the "
                      "original consent time, which sends no double opt-in mail, and added to "
                      "the list.");
        case WriteWave::Suppression:
            if (w.klaviyo.consent == KlaviyoWrite::Consent::Unsubscribe)
                return tr("Profile imported, then unsubscribed from email marketing on the "
                          "whole account, before any subscriber is written.");
            return tr("Profile imported, then suppressed before any subscriber is written; "
                      "Klaviyo records it as suppressed by the user, the property %1 keeps "
                      "\"%2\".")
                .arg(kSourceStatus, ContactStatuses::key(w.source));
        case WriteWave::NonMarketable:
            if (w.caveat == MappingCaveat::NoConsentTime)
                return tr("Profile imported without consent: there is no opt-in time to give "
                          "Klaviyo as the consent time, and subscribing without one could send "
                          "a double opt-in mail.");
            return tr("Profile imported without consent and outside the list.");
        case WriteWave::Skip: break;
        }
        break;
    }
    return {};
}
