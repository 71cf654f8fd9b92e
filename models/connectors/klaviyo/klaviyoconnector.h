#pragma once

#include "connectors/connector.h"

#include <QJsonObject>

#include <memory>

class HttpClient;
class KlaviyoApi;

/**
 * Klaviyo (revision 2026-07-15, esp-apis.md 3) as a migration source and target.
 *
 * Source: accounts, lists, profiles (with their email-marketing subscriptions), tags, segments,
 * templates, email campaigns and flows. Fields: Klaviyo has no property definitions (3.5), so
 * fields() lists the standard profile attributes plus the custom property names found on the
 * first page of profiles. Campaign reports need query_campaign_values, limited to 2 calls a
 * minute and 225 a day with a conversion metric to name, so campaigns come without a report
 * (hasReport false). Sending domains and integrations have no endpoint: unsupported.
 *
 * Target: profiles are written with bulk import jobs (at most 10,000 profiles and 5 MB each,
 * polled until complete, every import error turned into a WriteFailure), consent with bulk
 * subscribe (historical_import and consented_at, 1000 per job), bulk unsubscribe without a list
 * (global) and bulk suppress (100 per call), exactly as each contact's KlaviyoWrite says.
 * Subscribing removes a profile's UNSUBSCRIBE and USER_SUPPRESSED suppressions on Klaviyo, so
 * before subscribing the connector reads those addresses on the target and leaves out anyone
 * suppressed or unsubscribed there (WriteFailure "suppressed_on_target").
 * Klaviyo has no tags on profiles (esp-apis.md 3.3): a contact's tags are written into the
 * list-valued property "tags", and read back from it.
 *
 * The HttpClient must outlive the connector; answers that arrive after the connector is gone are
 * dropped safely.
 */
class KlaviyoConnector : public SourceConnector, public TargetConnector
{
    Q_DECLARE_TR_FUNCTIONS(KlaviyoConnector)

public:
    /// One upsertContacts()/writeSuppressions() call: one subscribe job, or ten suppress calls.
    static constexpr int batchSize = 1000;
    static constexpr int maxImportProfiles = 10000;        ///< bulk_import_profiles
    static constexpr qsizetype maxImportBytes = 5'000'000; ///< under the 5 MB payload cap
    static constexpr qsizetype maxProfileBytes = 100'000;  ///< under 100 KB per profile
    static constexpr int maxSubscribeProfiles = 1000;      ///< bulk_subscribe_profiles
    static constexpr int maxSuppressProfiles = 100;        ///< bulk_suppress_profiles
    static constexpr int maxUnsubscribeProfiles = 100;     ///< bulk_unsubscribe_profiles
    static constexpr int maxProfilesPage = 100;            ///< get_profiles page[size]
    static constexpr int maxListsPage = 10;                ///< get_lists page[size]
    /// Addresses per GET /profiles?filter=any(email,[...]) of the suppressed-on-target check.
    static constexpr int emailsPerLookup = 100;

    KlaviyoConnector(ConnectionSettings settings, HttpClient &client);
    ~KlaviyoConnector() override;

    /// Poll timing of import jobs (tests shorten it): the first wait, the longest, the limit.
    void setJobPolling(int firstMs, int maxMs, int timeoutMs);

    TargetPlatform platform() const override { return TargetPlatform::Klaviyo; }
    QFuture<Result<AccountInfo>> testConnection() override;

    // SourceConnector
    Features features() const override;
    QFuture<Result<QList<Audience>>> audiences() override;
    QFuture<Result<QList<FieldDefinition>>> fields(const QString &audienceId) override;
    QFuture<Result<ContactPage>> contacts(const QString &audienceId,
                                          const ContactQuery &query) override;
    QFuture<Result<QList<TagInfo>>> tags(const QString &audienceId) override;
    QFuture<Result<QList<SegmentInfo>>> segments(const QString &audienceId) override;
    QFuture<Result<QList<TemplateInfo>>> templates() override;
    QFuture<Result<TemplateInfo>> templateContent(const QString &templateId) override;
    QFuture<Result<QList<CampaignInfo>>> campaigns(const QDateTime &since) override;
    QFuture<Result<QList<AutomationInfo>>> automations() override;
    QFuture<Result<QList<SendingDomainInfo>>> sendingDomains() override;
    QFuture<Result<QList<IntegrationInfo>>> integrations() override;

    // TargetConnector
    int maxBatchSize() const override { return batchSize; }
    /// Batches share nothing but the list, which exists before the waves (initial setup); the
    /// bulk-import windows (10/s, 150/min) pace them when limits apply. Eight keep the two
    /// cores busy without limits (a batch's steps wait on each other: its lookups, its import
    /// job, its subscription): wave 1 of 200k went from 26,000 to 31,000 a second with 4 -> 8;
    /// 16 gave no more.
    int maxBatchesInFlight() const override { return 8; }
    QFuture<Result<EnsuredItem>> ensureList(const QString &name) override;
    /// Klaviyo properties need no definition (esp-apis.md 3.5): one EnsuredItem per spec with
    /// id = name = the property name and created = false, without a request.
    QFuture<Result<QList<EnsuredItem>>> ensureFields(const QString &listId,
                                                     const QList<FieldSpec> &fields) override;
    QFuture<Result<BatchResult>> writeSuppressions(const QString &listId,
                                                   const QList<TargetContact> &contacts) override;
    QFuture<Result<BatchResult>> upsertContacts(const QString &listId,
                                                const QList<TargetContact> &contacts) override;
    QFuture<Result<EnsuredItem>> writeTemplate(const TemplateContent &content) override;
    QFuture<Result<TargetContactPage>> readContacts(const QString &listId,
                                                    const ContactQuery &query) override;
    QFuture<Result<QHash<ContactStatus, qint64>>> countsByStatus(const QString &listId) override;

private:
    /// The profile listing of a list (or every profile) with subscriptions, one page.
    QFuture<Result<QJsonObject>> profilePage(const QString &listId, const ContactQuery &query);
    QFuture<Result<BatchResult>> write(const QString &listId, const QList<TargetContact> &contacts,
                                       bool suppressionWave);

    std::shared_ptr<KlaviyoApi> m_api;
};
