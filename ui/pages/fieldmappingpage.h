#pragma once

#include <QWizardPage>

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
    explicit FieldMappingPage(FieldMappingController *mapping, QWidget *parent = nullptr);

    void initializePage() override;

private:
    void refresh();

    FieldMappingController *m_mapping;
    QLabel *m_note;
    QLabel *m_summary;
    QLabel *m_error;
    QTableView *m_table;
    QGroupBox *m_unmappedBox;
    QTableView *m_unmapped;
    QPushButton *m_resetRow;
    QPushButton *m_resetAll;
};
