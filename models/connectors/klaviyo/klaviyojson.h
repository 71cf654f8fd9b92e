#pragma once

#include "connectors/connector.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

/**
 * Klaviyo's JSON:API documents (revision 2026-07-15, K-spec components) to and from the
 * connector's value types. Pure functions: no I/O.
 */
namespace KlaviyoJson {

/// The profile attributes that are not custom properties (K-spec ProfileResponseObjectResource),
/// in the order fields() lists them. Location parts are keyed "location.<part>".
QStringList standardAttributes();

/// A time as Klaviyo writes it: ISO 8601, UTC, "+00:00".
QString time(const QDateTime &t);
QDateTime parseTime(const QJsonValue &v);

/// A field value as JSON: text, number, bool, ISO date or time; null for a null QVariant.
QJsonValue value(const QVariant &v);
/// A property value as the text SourceContact/TargetContactRecord fields hold.
QString text(const QJsonValue &v);

/// TargetState of a profile read with additional-fields[profile]=subscriptions; `listId` decides
/// klaviyoListSuppressed.
TargetState targetState(const QJsonObject &profile, const QString &listId);
/// Field values of a profile: standard attributes that are set, and every custom property.
QHash<QString, QString> fields(const QJsonObject &profile);
SourceContact sourceContact(const QJsonObject &profile);

/// {"type":"profile","attributes":{...}} of a contact for bulk_import_profiles: mapped fields,
/// language as locale, tags as the list property "tags", and the evidence attributes.
QJsonObject importProfile(const TargetContact &contact);
/// importProfile() as QJsonDocument writes it (compact), byte for byte, written directly: a wave
/// makes one for every contact, and the QJsonObjects cost more than the rest of its work on it.
QByteArray importProfileJson(const TargetContact &contact);
/// The body of a bulk job of `type` over `profiles`, with extra job attributes and relationships.
QJsonObject bulkJob(const QString &type, const QJsonArray &profiles,
                    const QJsonObject &attributes = {}, const QJsonObject &relationships = {});
/// {"type":"profile","attributes":{"email":...}} of a suppression, or with
/// "subscriptions":{"email":{"marketing":{"consent":...,"consented_at":...}}} when `consent` is
/// set (and consented_at when `consentedAt` is valid), as QJsonDocument writes it, byte for byte.
QByteArray consentProfileJson(const QString &email, const QString &consent = {},
                              const QDateTime &consentedAt = {});
/// bulkJob() as QJsonDocument writes it, byte for byte, with `profiles` already JSON (joined by
/// commas): the profiles are not made into QJsonObjects again only to be written.
QByteArray bulkJobJson(const QString &type, const QByteArray &profiles,
                       const QJsonObject &attributes = {}, const QJsonObject &relationships = {});
/// {"data": {"type": type, "id": id}} for a relationship.
QJsonObject relationship(const QString &type, const QString &id);

/// The filter expression matching any of `emails`: any(email,["a","b"]).
QString anyEmail(const QStringList &emails);
/// A quoted string for filter expressions: "text" with " and \ escaped.
QString quoted(const QString &text);

} // namespace KlaviyoJson
