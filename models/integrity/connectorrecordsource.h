#pragma once

#include "integrity/diffrecordsource.h"

#include <QMutex>
#include <QTemporaryFile>

class TargetConnector;

/**
 * The target as it is now, read back through TargetConnector::readContacts, as one side of a diff.
 * The first scan pages through the listing, waiting for each page: call it on a worker thread,
 * never on the thread that answers the connector's futures. Each record is also written to a
 * temporary spool file (one JSON line), so that the detail pass and readAt() read the spool
 * instead of the platform: the listing is read once. Fields are whatever the mapping asks for
 * (addField(), the target's field names) and "tags"; the status is
 * ConsentMapping::statusOnTarget. The locator is the record's offset in the spool.
 */
class ConnectorRecordSource : public DiffRecordSource
{
    Q_DECLARE_TR_FUNCTIONS(ConnectorRecordSource)

public:
    ConnectorRecordSource(TargetConnector &connector, QString listId, int pageSize = 0);

    QString displayName() const override;
    Status open() override;
    QList<DiffSourceField> fields() const override { return m_fields; }
    std::optional<TargetPlatform> platform() const override;
    bool acceptsAnyField() const override { return true; }
    int addField(const QString &name) override;
    Status scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel) override;
    Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) override;

private:
    Status readListing(const std::atomic_bool *cancel);

    TargetConnector &m_connector;
    QString m_listId;
    int m_pageSize = 0;
    QList<DiffSourceField> m_fields;
    QTemporaryFile m_spool;
    bool m_spooled = false;
    QMutex m_readMutex;
};
