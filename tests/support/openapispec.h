#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

/**
 * An OpenAPI 3 or Swagger 2.0 document (the YAML that openapi-generator writes; Swagger's
 * "definitions" and responses.<status>.schema are read too, and allOf is merged) for checking the sandboxes'
 * responses against the vendors' contracts. No YAML library is installed, so the reader handles
 * the subset those documents use: block mappings and sequences, plain / single- / double-quoted
 * scalars (also folded over several lines) and the empty flow forms [] and {}. Anchors, tags and
 * non-empty flow collections are not supported; the reader reports them instead of guessing.
 */
class OpenApiSpec
{
public:
    /// Reads the document; on failure error() says why and root() is empty.
    bool load(const QString &path);
    /// Parses YAML text of the supported subset (exposed for the reader's own tests).
    static QJsonValue parseYaml(const QByteArray &text, QString *error);

    const QString &error() const { return m_error; }
    const QJsonObject &root() const { return m_root; }

    /// The operation object at paths.<path>.<method> (method lower-case), empty if absent.
    QJsonObject operation(const QString &path, const QString &method) const;
    /// The component schema name a response refers to, e.g. "List_Members_2"; empty if none.
    QString responseSchemaName(const QString &path, const QString &method, const QString &status,
                               const QString &contentType
                               = QStringLiteral("application/json")) const;

    QJsonObject schema(const QString &name) const;
    void setSchema(const QString &name, const QJsonObject &schema);

    /**
     * Checks a value against a component schema, strictly: types, enums, required properties, and
     * every property of an object must be declared in the schema (or allowed by
     * additionalProperties). Returns one line per violation, with a JSON path; empty when it fits.
     */
    QStringList validate(const QJsonValue &value, const QString &schemaName) const;

private:
    /// The schema with $refs followed and allOf branches merged into one object schema.
    QJsonObject flattened(const QJsonObject &schema, QString *error, int depth) const;
    void validate(const QJsonValue &value, const QJsonObject &schema, const QString &where,
                  QStringList &errors, int depth) const;

    QJsonObject m_root;
    QString m_error;
};
