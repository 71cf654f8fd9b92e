#pragma once

#include "exports/exportdialect.h"
#include "exports/exportfiles.h"
#include "integrity/diffrecordsource.h"

#include <QMutex>

#include <vector>

/**
 * An export file as one side of a diff: a CSV (Mailchimp, Brevo, Klaviyo or generic, by
 * ExportDialectDetector) or a zip of them (Mailchimp's audience export: one file per status).
 * Records are read with CsvScanner (CsvReader for what it does not read: unusual quoting,
 * Windows-1252, errors); the locator is (part << 40) | the byte offset where the record starts, so
 * that readAt() and visitAt() cost a seek and one record (a zip entry is read up to it).
 */
class ExportRecordSource : public DiffRecordSource
{
    Q_DECLARE_TR_FUNCTIONS(ExportRecordSource)

public:
    explicit ExportRecordSource(QString path);
    ~ExportRecordSource() override;

    /// A mapping file may name the email and status columns of a generic CSV.
    void setEmailColumn(const QString &name) { m_emailOverride = name; }
    void setStatusColumn(const QString &name) { m_statusOverride = name; }

    QString displayName() const override;
    Status open() override;
    QList<DiffSourceField> fields() const override { return m_fields; }
    std::optional<TargetPlatform> platform() const override;
    Status scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel) override;
    /// Each part cut into pieces of whole records on a reading thread (which also inflates a zip
    /// entry), the pieces read by CsvScanner on the workers.
    Status scanParallel(const QList<int> &columns, int workers, const ParallelVisitor &visit, bool &done,
                        const std::atomic_bool *cancel, const ParallelStart &start) override;
    Status visitAt(std::span<const quint64> locators, const QList<int> &columns, const Visitor &visit,
                   const std::atomic_bool *cancel) override;
    /// True when no part is inside a zip.
    bool seekable() const override;
    Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) override;

    /// The dialect of the first part.
    ExportDialect dialect() const { return m_dialect; }

    static constexpr int kOffsetBits = 40;

private:
    struct Part;
    Status readHeader(Part &part);
    Error csvError(const Error &error, const Part &part) const;

    QString m_path;
    QString m_emailOverride;
    QString m_statusOverride;
    ExportDialect m_dialect = ExportDialect::Generic;
    QList<DiffSourceField> m_fields;
    std::vector<std::unique_ptr<Part>> m_parts;
    QMutex m_readMutex;
};
