#pragma once

#include "connectors/connector.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>

/**
 * Mailchimp's JSON (specs/mailchimp/openapi.yaml) to and from the connector's value types. Pure
 * functions, no I/O.
 */
namespace MailchimpJson {

/// "2015-10-21T15:41:36+00:00"; an empty or garbled value gives an invalid time.
QDateTime time(const QJsonValue &value);
/// A time as Mailchimp writes it (UTC, "+00:00").
QString timeText(const QDateTime &time);

/// The member status word as a ContactStatus (Unknown for a word Mailchimp does not use).
ContactStatus status(const QString &word);
/// The merge field type word as a FieldType.
FieldType fieldType(const QString &mergeType);
/// The merge field type to create for a FieldType.
QString mergeType(FieldType type);

/**
 * A merge value as text the way Mailchimp's export writes it. An address object becomes its parts
 * joined by two spaces in the order addr1, addr2, city, state, zip, country: an empty addr2 is
 * left out as the export does, the other parts are kept even when empty so that
 * ValueCoercion::toAddress (5 or 6 parts) reads it back part for part; all empty gives "".
 */
QString mergeText(const QJsonValue &value);
/// A field value (ValueCoercion's QString, double, QDate, QDateTime, bool) as a merge value;
/// a date for a birthday field as Mailchimp's "MM/DD".
QJsonValue mergeValue(const QVariant &value, FieldType type = FieldType::Text);

Audience audience(const QJsonObject &list);
FieldDefinition field(const QJsonObject &mergeField);
/// A member; `complained` holds the lower-cased addresses of the audience's abuse reports.
SourceContact contact(const QJsonObject &member, const QSet<QString> &complained);
TargetContactRecord record(const QJsonObject &member);
SegmentInfo segment(const QJsonObject &segment);
TemplateInfo templateInfo(const QJsonObject &tmpl);
/// A campaign, with its report when `report` is not empty.
CampaignInfo campaign(const QJsonObject &campaign, const QJsonObject &report);
AutomationInfo automation(const QJsonObject &automation);
SendingDomainInfo sendingDomain(const QJsonObject &domain);
IntegrationInfo connectedSite(const QJsonObject &site);
IntegrationInfo store(const QJsonObject &store);

/// One item of the batch subscribe body (POST /lists/{id}) for a contact; `types`: the merge
/// fields' types where known (ensureFields), by tag.
QJsonObject batchMember(const TargetContact &contact, bool withStatus,
                        const QHash<QString, FieldType> &types = {});

} // namespace MailchimpJson
