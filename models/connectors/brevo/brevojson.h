#pragma once

#include "connectors/connector.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>

/** Brevo's JSON (swagger.yaml definitions) to and from the connector value types. */
namespace BrevoJson {

/// Brevo's date-times: "2017-05-01T17:05:03.000Z" (or without milliseconds).
QDateTime time(const QJsonValue &value);
/// A date-time query parameter: YYYY-MM-DDTHH:mm:ss.SSSZ in UTC.
QString timeParameter(const QDateTime &time);

AccountInfo account(const QJsonObject &account);
Audience audience(const QJsonObject &list);
FieldDefinition field(const QJsonObject &attribute);
SegmentInfo segment(const QJsonObject &segment);
TemplateInfo templateInfo(const QJsonObject &smtpTemplate);
CampaignInfo campaign(const QJsonObject &campaign);
SendingDomainInfo domain(const QJsonObject &domain);

/// Attribute values as text (numbers without trailing zeros, booleans "true"/"false").
QHash<QString, QString> attributesText(const QJsonObject &attributes);

/**
 * A contact of a listing as a source contact. `listId` is the list read (0: every contact);
 * `blocked` maps blocklisted addresses to GET /smtp/blockedContacts reason codes.
 */
SourceContact sourceContact(const QJsonObject &contact, qint64 listId,
                            const QHash<QString, QString> &blocked);

/// A contact as the target holds it, for the migration's marketing list `listId`.
TargetContactRecord targetRecord(const QJsonObject &contact, qint64 listId);

/// The attribute type createAttribute takes for a field type: text, date or float.
QString attributeType(FieldType type);
/// The field type of an attribute type word.
FieldType fieldType(const QString &attributeType);
/// A value for jsonBody attributes; undefined when it must be left out (null: unchanged).
QJsonValue attributeValue(const QVariant &value);

} // namespace BrevoJson
