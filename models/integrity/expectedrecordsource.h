#pragma once

#include "connectors/connector.h"
#include "contacts/valuecoercion.h"
#include "integrity/diffrecordsource.h"

#include <QHash>

#include <memory>

/**
 * The source snapshot as the transfer writes it, for the review of a wave: each compared value is
 * coerced the way ContactTranslator coerces it for the target field (a Mailchimp birthday "02/02"
 * becomes Brevo's "1904-02-02", a number loses its trailing zeros), and what the target is never
 * given by design is expected empty (Brevo keeps no tags of suppressed contacts). A difference the
 * review shows is then one between what the transfer wrote and what the target holds now, not a
 * change of notation. A value that cannot be coerced is left as written (the transfer rejected
 * that contact: it is in the error report and missing on the target).
 *
 * The detail pane reads the values coerced as well, so both columns show what was compared.
 */
class ExpectedRecordSource : public DiffRecordSource
{
public:
    ExpectedRecordSource(std::shared_ptr<DiffRecordSource> inner, TargetPlatform target);

    /// Coerces the values of source field `field` (index in fields()) to `type` as written to
    /// the target. Call before the comparison.
    void expect(int field, FieldType type, const CoercionOptions &options);

    QString displayName() const override { return m_inner->displayName(); }
    Status open() override;
    QList<DiffSourceField> fields() const override { return m_inner->fields(); }
    std::optional<TargetPlatform> platform() const override { return m_inner->platform(); }
    Status scan(const QList<int> &columns, const Visitor &visit,
                const std::atomic_bool *cancel) override;
    Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) override;

private:
    struct Expectation
    {
        FieldType type = FieldType::Text;
        CoercionOptions options;
    };
    /// The value of `column` as the target should hold it (`raw` when nothing changes).
    QString expected(int column, const QString &raw, ContactStatus status) const;
    bool dropsTags(ContactStatus status) const;

    std::shared_ptr<DiffRecordSource> m_inner;
    TargetPlatform m_target;
    QHash<int, Expectation> m_expect;
    int m_tagsField = -1;
};
