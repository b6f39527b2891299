UPDATE findings SET status = 'converted', converted_collection = $2, converted_id = $3 WHERE id = $1
