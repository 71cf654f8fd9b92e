#pragma once

#include <QWizardPage>

class ConnectionController;
class FieldMappingController;
class QGroupBox;
class QLabel;
class QPushButton;
class QTableView;

/** Field mapping: where each Mailchimp field goes on the target, edited in place and saved as edited. */
class FieldMappingPage : public QWizardPage
{
    Q_OBJECT

public:
    /// `connections` lets the page read the target's existing fields; without it, it does not.
    explicit FieldMappingPage(FieldMappingController *mapping, ConnectionController *connections = nullptr,
                              QWidget *parent = nullptr);

    void initializePage() override;

private:
    void refresh();
    void readTargetFields();

    FieldMappingController *m_mapping;
    ConnectionController *m_connections;
    QPushButton *m_readTarget = nullptr;
    QLabel *m_note;
    QLabel *m_summary;
    QLabel *m_error;
    QTableView *m_table;
    QGroupBox *m_unmappedBox;
    QTableView *m_unmapped;
    QPushButton *m_resetRow;
    QPushButton *m_resetAll;
};
