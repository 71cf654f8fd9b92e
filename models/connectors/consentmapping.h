#pragma once

#include "connectors/targetplatform.h"
#include "contacts/contactstatus.h"
#include "contacts/fieldtype.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

/**
 * What the source says about how and when a contact consented, and why and when they left.
 * Mailchimp's export columns (esp-apis.md 1.9): OPTIN_TIME/OPTIN_IP (sign-up), CONFIRM_TIME/
 * CONFIRM_IP (confirmation), UNSUB_TIME/CLEAN_TIME and UNSUB_REASON. An invalid time or an empty
 * text means "not known".
 */
struct ConsentEvidence
{
    QDateTime optinTime;
    QString optinIp;
    QDateTime confirmTime;
    QString confirmIp;
    QDateTime suppressionTime; ///< when they unsubscribed, bounced or complained
    QString suppressionReason; ///< the source's words, e.g. Mailchimp's UNSUB_REASON

    /// The time consent was given: the confirmation, else the sign-up; invalid when neither.
    QDateTime consentTime() const;
};

/**
 * How much a platform lets a contact be mailed. Ordered: a migration may move a contact down this
 * scale, never up.
 */
enum class ConsentLevel {
    Suppressed,    ///< unsubscribed, bounced or complained: never mailed
    NotMarketable, ///< known, but no marketing consent (pending, transactional, archived, unknown)
    Marketable,    ///< subscribed
};

/**
 * The order in which the transfer writes contacts. Suppressions go first, so that no later write
 * can reach a suppressed person before their suppression exists on the target.
 */
enum class WriteWave {
    Suppression,   ///< wave 0
    NonMarketable, ///< written without marketing consent
    Subscriber,    ///< written with marketing consent
    Skip,          ///< not written at all
};

/** Why a mapping is not the plain equivalent of the source status. */
enum class MappingCaveat {
    None,
    /// Klaviyo: a subscribed contact with no opt-in or confirmation time in the past. A historical
    /// import needs consented_at, and a subscribe without it may send a double opt-in mail, so the
    /// profile is written without consent.
    NoConsentTime,
    /// Mailchimp has no "complained" status: written as unsubscribed, the reason in SRCSTATUS.
    NoComplainedStatus,
    /// Mailchimp cannot create an archived member: left out.
    NoArchivedStatus,
};

/**
 * Mailchimp target: a member written with PUT /lists/{list_id}/members/{subscriber_hash}
 * (status_if_new, and status only when updateExisting) or POST /lists/{list_id} with
 * update_existing (esp-apis.md 1.4; Add_List_Members_2 in specs/mailchimp/openapi.yaml).
 */
struct MailchimpWrite
{
    /// subscribed, unsubscribed, cleaned or transactional. Never "pending": that status sends
    /// the confirmation mail.
    QString status;
    /// Also change the status of a member the audience already has. Only for suppressions: a
    /// subscribe must not re-subscribe someone who left the target audience on their own.
    bool updateExisting = false;
    QDateTime timestampSignup; ///< sign-up (OPTIN_TIME), esp-apis.md 1.9
    QString ipSignup;
    QDateTime timestampOpt;    ///< confirmation (CONFIRM_TIME)
    QString ipOpt;
};

/**
 * Brevo target: a contact written with POST /contacts/import or /contacts (esp-apis.md 2.4, 2.6).
 * Brevo has no opt-in fields: the evidence goes into custom attributes (esp-apis.md 2.3).
 */
struct BrevoWrite
{
    /// Write emailBlacklisted=true. When false the field is left out, never written as false:
    /// false lifts a block the target already has (B-spec updateContact.emailBlacklisted).
    bool emailBlacklisted = false;
    /// Add to the migration's marketing list(s). When false the contact is kept out of every
    /// list a campaign is sent to (an import needs a list: the connector uses a holding list).
    bool marketingList = false;
};

/** Klaviyo target, esp-apis.md 3.4 and 3.6 (K-spec operation ids). */
struct KlaviyoWrite
{
    enum class Consent {
        None,        ///< profile only: bulk_import_profiles does not set consent
        Subscribe,   ///< bulk_subscribe_profiles
        Unsubscribe, ///< bulk_unsubscribe_profiles without a list: a global unsubscribe
        Suppress,    ///< bulk_suppress_profiles: USER_SUPPRESSED
    };

    bool importProfile = true; ///< bulk_import_profiles first, carrying the custom properties
    Consent consent = Consent::None;
    /// historical_import=true on the subscribe job: no double opt-in mail and no "Added to
    /// list" flows.
    bool historicalImport = false;
    QDateTime consentedAt;     ///< required with historicalImport, and in the past
    bool addToList = false;    ///< the migration's list, as the subscribe job's relationship
};

/** A custom attribute (Brevo), property (Klaviyo) or merge field (Mailchimp) with its value. */
struct EvidenceValue
{
    QString name;
    QVariant value; ///< QDateTime for times, QString otherwise
};

/** A custom field the target needs before contacts carrying evidence are written. */
struct EvidenceField
{
    QString name;
    FieldType type = FieldType::Text;
};

/** Exactly how one source contact is written on one target. */
struct ContactWrite
{
    TargetPlatform platform = TargetPlatform::Brevo;
    ContactStatus source = ContactStatus::Unknown;
    WriteWave wave = WriteWave::Skip;
    MappingCaveat caveat = MappingCaveat::None;
    /// What reading the target back should give (ConsentMapping::statusOnTarget); nullopt when
    /// the contact is not written.
    std::optional<ContactStatus> expectedOnTarget;

    MailchimpWrite mailchimp; ///< meaningful when platform is Mailchimp
    BrevoWrite brevo;         ///< ... Brevo
    KlaviyoWrite klaviyo;     ///< ... Klaviyo
    /// Evidence the target has no native field for; only values the source has.
    QList<EvidenceValue> attributes;

    /// The write may send a double opt-in (confirmation) mail. Never true for a mapping.
    bool triggersDoubleOptIn() const;
    /// After the write the target may send this contact marketing mail.
    bool grantsMarketing() const;
    /// The write blocks marketing mail to this contact.
    bool suppresses() const;
    /// The level the written data gives the contact, read from the write itself.
    ConsentLevel level() const;
    /// The value of an evidence attribute; invalid when the write does not carry it.
    QVariant attribute(QStringView name) const;
};

/**
 * A contact's state on a target as the platform reports it, for the integrity diff. Fill the
 * fields of its platform only.
 */
struct TargetState
{
    TargetPlatform platform = TargetPlatform::Brevo;
    /// Mailchimp member.status: subscribed, unsubscribed, cleaned, pending, transactional or
    /// archived.
    QString mailchimpStatus;
    /// Brevo getContactDetails.emailBlacklisted.
    bool brevoEmailBlacklisted = false;
    /// Brevo listIds holds one of the migration's marketing lists (not the holding list).
    bool brevoInMarketingList = false;
    /// Brevo listUnsubscribed holds that marketing list (per-list unsubscription accounts only).
    bool brevoUnsubscribedFromList = false;
    /// Klaviyo subscriptions.email.marketing.consent: SUBSCRIBED, UNSUBSCRIBED, NEVER_SUBSCRIBED.
    QString klaviyoConsent;
    /// Klaviyo subscriptions.email.marketing.suppression[].reason.
    QStringList klaviyoSuppressions;
    /// Klaviyo list_suppressions names the migration's list.
    bool klaviyoListSuppressed = false;
    /// The source status Stagecoach wrote into its custom field (SOURCE_STATUS / SRCSTATUS);
    /// empty when absent.
    QString sourceStatusField;
};

/**
 * The one mapping of subscription status and consent between Mailchimp, Brevo and Klaviyo
 * (esp-apis.md 4.1). Consent is never upgraded: no write makes a contact more mailable than the
 * source status, and no write sends a double opt-in mail.
 */
class ConsentMapping
{
    Q_DECLARE_TR_FUNCTIONS(ConsentMapping)

public:
    /// Where a source status stands on the consent scale.
    static ConsentLevel level(ContactStatus status);

    /// How to write a contact with this source status and evidence on the target.
    static ContactWrite map(ContactStatus source, const ConsentEvidence &evidence,
                            TargetPlatform target);

    /**
     * The source status equivalent to a contact's state on the target, for comparing source and
     * target after a transfer. The platform's own fields decide the consent level; the
     * SOURCE_STATUS field Stagecoach wrote only tells statuses of that same level apart (cleaned
     * from unsubscribed, pending from transactional), so it can neither raise nor lower a contact.
     */
    static ContactStatus statusOnTarget(const TargetState &state);

    /// True when the target lets a contact be mailed more than the source did.
    static bool isConsentViolation(ContactStatus source, ContactStatus onTarget);

    /// The custom fields a target needs for the evidence (create them before writing contacts).
    static QList<EvidenceField> evidenceFields(TargetPlatform target);

    /// One translated sentence for the mapping report: how this source status is written.
    static QString describe(const ContactWrite &write);
    static QString waveName(WriteWave wave);
};
