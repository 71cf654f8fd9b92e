#pragma once

#include "integrity/diffresult.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

/**
 * The differences of a DiffResult as a table, lazy: a row's text is made when the view asks for
 * it, and filtering keeps one index (4 bytes) per shown row, never a string per row. A million
 * differences stay smooth. Filters: by kind, by a differing field, and by text in the email
 * (case-insensitive for ASCII; scanning the result's email arena).
 *
 * Consent violations come first (the result's order). QtCore only: the view colours rows by
 * ConsentViolationRole.
 */
class DiffModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KindColumn, EmailColumn, FieldsColumn, SourceStatusColumn, TargetStatusColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, ///< DiffKind as int
        ResultRowRole,               ///< the row in the DiffResult (for detail())
        ConsentViolationRole,        ///< bool: show it in red
        FieldMaskRole,               ///< DiffRow::fieldMask as qulonglong
    };
    /// setFieldFilter() value for "the status class differs".
    static constexpr int kStatusField = 63;

    explicit DiffModel(QObject *parent = nullptr);

    void setResult(std::shared_ptr<const DiffResult> result);
    std::shared_ptr<const DiffResult> result() const { return m_result; }

    /// Only rows of these kinds; empty: every kind.
    void setKindFilter(const QList<DiffKind> &kinds);
    /// Only rows where this compared field (index in summary.fields, or kStatusField) differs;
    /// -1: any row.
    void setFieldFilter(int field);
    /// Only rows whose email contains this text; empty: any.
    void setTextFilter(const QString &text);

    /// The DiffResult row shown at `row`.
    qsizetype resultRow(int row) const;
    /// Both records of the row shown at `row`, read again (a seek per side).
    Result<DiffDetail> detail(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void refilter();
    bool filtered() const;
    QString fieldNames(const DiffRow &row) const;

    std::shared_ptr<const DiffResult> m_result;
    quint32 m_kinds = 0; ///< bit per DiffKind; 0: all
    int m_field = -1;
    QByteArray m_text;   ///< lower-cased UTF-8
    std::vector<quint32> m_visible; ///< result rows shown, when a filter is set
};
