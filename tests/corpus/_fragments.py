def generated_documents():
    return {}
